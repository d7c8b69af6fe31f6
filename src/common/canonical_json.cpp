#include "common/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>

namespace fraudgov::json {
namespace bj = boost::json;

namespace {

void appendString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0x0f];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// UTF-16 code units of a (valid) UTF-8 string: JCS orders object keys by them.
std::u16string toUtf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    char32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 0xe) {
      cp = c & 0x0f;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += static_cast<std::size_t>(len);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xd800 + (cp >> 10));
      out += static_cast<char16_t>(0xdc00 + (cp & 0x3ff));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

bool keyLess(std::string_view a, std::string_view b) {
  // Byte order equals UTF-16 order unless a 4-byte sequence (non-BMP) is involved.
  auto hasAstral = [](std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xf0; });
  };
  if (!hasAstral(a) && !hasAstral(b)) return a < b;
  return toUtf16(a) < toUtf16(b);
}

void appendValue(std::string& out, const bj::value& v);

void appendObject(std::string& out, const bj::object& o) {
  std::vector<const bj::key_value_pair*> members;
  members.reserve(o.size());
  for (const auto& kv : o) members.push_back(&kv);
  std::sort(members.begin(), members.end(),
            [](const bj::key_value_pair* x, const bj::key_value_pair* y) { return keyLess(x->key(), y->key()); });
  out += '{';
  bool first = true;
  for (const auto* kv : members) {
    if (!first) out += ',';
    first = false;
    appendString(out, kv->key());
    out += ':';
    appendValue(out, kv->value());
  }
  out += '}';
}

void appendValue(std::string& out, const bj::value& v) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53
  switch (v.kind()) {
    case bj::kind::null:
      out += "null";
      break;
    case bj::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case bj::kind::int64: {
      const auto i = v.get_int64();
      if (static_cast<double>(i) > -kMaxExact && static_cast<double>(i) < kMaxExact) {
        out += std::to_string(i);
      } else {
        out += formatNumberEs(static_cast<double>(i));
      }
      break;
    }
    case bj::kind::uint64: {
      const auto u = v.get_uint64();
      if (static_cast<double>(u) < kMaxExact) {
        out += std::to_string(u);
      } else {
        out += formatNumberEs(static_cast<double>(u));
      }
      break;
    }
    case bj::kind::double_:
      out += formatNumberEs(v.get_double());
      break;
    case bj::kind::string:
      appendString(out, v.get_string());
      break;
    case bj::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        appendValue(out, e);
      }
      out += ']';
      break;
    }
    case bj::kind::object:
      appendObject(out, v.get_object());
      break;
  }
}

}  // namespace

std::string formatNumberEs(double d) {
  if (d == 0 || !std::isfinite(d)) return "0";  // JSON cannot carry NaN/Infinity; -0 prints as 0
  std::string out;
  if (d < 0) {
    out += '-';
    d = -d;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));  // e.g. 1.2345e+02
  const auto e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exponent);
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string canonicalize(const bj::value& v) {
  std::string out;
  appendValue(out, v);
  return out;
}

}  // namespace fraudgov::json
