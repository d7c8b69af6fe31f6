#include "common/json.h"

#include <fmt/format.h>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <vector>

namespace fraudgov::json {
namespace bj = boost::json;

namespace {

// Builds a boost::json::value from parser events; refuses duplicate object keys.
class StrictHandler {
 public:
  static constexpr std::size_t max_object_size = 1'000'000;
  static constexpr std::size_t max_array_size = 1'000'000;
  static constexpr std::size_t max_key_size = 1'000'000;
  static constexpr std::size_t max_string_size = 16'000'000;

  std::string duplicate_key;
  bj::value result;

  bool on_document_begin(bj::error_code&) { return true; }
  bool on_document_end(bj::error_code&) { return true; }
  bool on_array_begin(bj::error_code&) {
    stack_.push_back(Frame{bj::array{}, {}});
    return true;
  }
  bool on_array_end(std::size_t, bj::error_code& ec) { return closeFrame(ec); }
  bool on_object_begin(bj::error_code&) {
    stack_.push_back(Frame{bj::object{}, {}});
    return true;
  }
  bool on_object_end(std::size_t, bj::error_code& ec) { return closeFrame(ec); }
  bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
    buffer_.append(s.data(), s.size());
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, bj::error_code& ec) {
    buffer_.append(s.data(), s.size());
    bj::value v(bj::string(buffer_.data(), buffer_.size()));
    buffer_.clear();
    return emit(std::move(v), ec);
  }
  bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
    buffer_.append(s.data(), s.size());
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, bj::error_code& ec) {
    buffer_.append(s.data(), s.size());
    Frame& top = stack_.back();
    if (top.value.as_object().contains(buffer_)) {
      duplicate_key = buffer_;
      ec = bj::error::syntax;
      return false;
    }
    top.key = std::move(buffer_);
    buffer_.clear();
    return true;
  }
  bool on_number_part(bj::string_view s, bj::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, bj::string_view, bj::error_code& ec) {
    number_.clear();
    return emit(bj::value(i), ec);
  }
  bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code& ec) {
    number_.clear();
    return emit(bj::value(u), ec);
  }
  bool on_double(double d, bj::string_view s, bj::error_code& ec) {
    // Boost.JSON 1.81 converts some decimals one ulp off; re-read the text with the correctly
    // rounded std::from_chars so every machine and every parser agrees on the value.
    number_.append(s.data(), s.size());
    double precise = d;
    const auto res = std::from_chars(number_.data(), number_.data() + number_.size(), precise);
    number_.clear();
    return emit(bj::value(res.ec == std::errc() ? precise : d), ec);
  }
  bool on_bool(bool b, bj::error_code& ec) { return emit(bj::value(b), ec); }
  bool on_null(bj::error_code& ec) { return emit(bj::value(nullptr), ec); }
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }

 private:
  struct Frame {
    bj::value value;
    std::string key;
  };

  bool emit(bj::value v, bj::error_code&) {
    if (stack_.empty()) {
      result = std::move(v);
      return true;
    }
    Frame& top = stack_.back();
    if (top.value.is_array()) {
      top.value.as_array().emplace_back(std::move(v));
    } else {
      top.value.as_object().emplace(top.key, std::move(v));
    }
    return true;
  }

  bool closeFrame(bj::error_code& ec) {
    bj::value done = std::move(stack_.back().value);
    stack_.pop_back();
    return emit(std::move(done), ec);
  }

  std::vector<Frame> stack_;
  std::string buffer_;
  std::string number_;
};

}  // namespace

Result<bj::value> parseStrict(std::string_view text, ParseLimits limits) {
  bj::parse_options opts;
  opts.max_depth = limits.max_depth;
  opts.allow_comments = false;
  opts.allow_trailing_commas = false;
  opts.allow_invalid_utf8 = false;
  bj::basic_parser<StrictHandler> parser(opts);
  bj::error_code ec;
  std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) {
    ec = bj::error::extra_data;
  }
  if (ec) {
    if (!parser.handler().duplicate_key.empty()) {
      return fail(Error::malformed("Malformed JSON: duplicate object key", {{"key", parser.handler().duplicate_key}}));
    }
    if (ec == bj::error::too_deep) {
      return fail(Error::malformed(fmt::format("Malformed JSON: nesting deeper than {} levels", limits.max_depth)));
    }
    return fail(Error::malformed(fmt::format("Malformed JSON: {} at offset {}", ec.message(), consumed)));
  }
  return std::move(parser.handler().result);
}

std::string serialize(const bj::value& v) { return bj::serialize(v); }

bool containsNul(const bj::value& v) {
  // Iterative so hostile nesting cannot exhaust the stack.
  std::vector<const bj::value*> pending{&v};
  while (!pending.empty()) {
    const bj::value* cur = pending.back();
    pending.pop_back();
    if (cur->is_string()) {
      if (cur->get_string().find('\0') != bj::string::npos) return true;
    } else if (cur->is_array()) {
      for (const auto& e : cur->get_array()) pending.push_back(&e);
    } else if (cur->is_object()) {
      for (const auto& kv : cur->get_object()) {
        if (kv.key().find('\0') != bj::string_view::npos) return true;
        pending.push_back(&kv.value());
      }
    }
  }
  return false;
}

}  // namespace fraudgov::json
