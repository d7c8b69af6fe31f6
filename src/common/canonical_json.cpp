#include "common/canonical_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <string_view>
#include <vector>

namespace fraudgov::json {
namespace bj = boost::json;

namespace {

bool needsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void appendEscaped(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
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
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
  }
}

void appendString(std::string& out, std::string_view s) {
  out += '"';
  // Copy runs that need no escaping in one go: artifacts are megabytes of mostly plain text.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!needsEscape(c)) continue;
    out.append(s.data() + run, i - run);
    appendEscaped(out, c);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// JCS orders keys by UTF-16 code units. For valid UTF-8 that is byte order except where a
// supplementary character (lead byte F0-F4, a surrogate pair D800-DBFF in UTF-16) meets one in
// U+E000-U+FFFF (lead byte EE or EF): UTF-16 puts the surrogates first, bytes put them last. Up to
// the first differing byte both keys are equal, so that byte decides.
bool keyLess(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    const bool x_astral = x >= 0xf0, y_astral = y >= 0xf0;
    if (x_astral != y_astral && (x_astral ? y >= 0xee : x >= 0xee)) return x_astral;
    return x < y;
  }
  return a.size() < b.size();
}

template <class Integer>
void appendInteger(std::string& out, Integer value) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<std::size_t>(res.ptr - buf));
}

void appendValue(std::string& out, const bj::value& v);

void appendObject(std::string& out, const bj::object& o) {
  // Nearly every object in a condition tree or an AST has a handful of members: sort pointers to
  // them on the stack rather than allocating.
  constexpr std::size_t kInline = 16;
  std::array<const bj::key_value_pair*, kInline> inline_members;
  std::vector<const bj::key_value_pair*> heap_members;
  std::span<const bj::key_value_pair*> members;
  if (o.size() <= kInline) {
    members = std::span(inline_members.data(), o.size());
  } else {
    heap_members.resize(o.size());
    members = std::span(heap_members);
  }
  std::size_t next = 0;
  for (const auto& kv : o) members[next++] = &kv;
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
        appendInteger(out, i);
      } else {
        out += formatNumberEs(static_cast<double>(i));
      }
      break;
    }
    case bj::kind::uint64: {
      const auto u = v.get_uint64();
      if (static_cast<double>(u) < kMaxExact) {
        appendInteger(out, u);
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
