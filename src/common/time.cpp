#include "common/time.h"

#include <fmt/format.h>
#include <charconv>
#include <chrono>

namespace fraudgov {

namespace {

// Days from civil date, proleptic Gregorian (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};

Civil civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool isLeap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

void appendDigits(std::string& out, std::int64_t value, int width) {
  char buf[20];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 20);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += buf[--n];
}

// Hand-rolled rather than fmt::format: every timestamp of every listed row goes through here.
std::string formatWith(Timestamp t, bool fixed) {
  constexpr std::int64_t kPerDay = 86'400'000'000;
  std::int64_t days = t.micros / kPerDay;
  std::int64_t rem = t.micros % kPerDay;
  if (rem < 0) {
    rem += kPerDay;
    --days;
  }
  const Civil c = civilFromDays(days);
  const std::int64_t secs = rem / 1'000'000;
  const std::int64_t frac = rem % 1'000'000;
  std::string out;
  out.reserve(28);
  if (c.y < 0 || c.y > 9999) {  // outside ISO-8601's four-digit years; never produced by our parsers
    return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", c.y, c.m, c.d, secs / 3600, (secs / 60) % 60,
                       secs % 60, frac);
  }
  appendDigits(out, c.y, 4);
  out += '-';
  appendDigits(out, c.m, 2);
  out += '-';
  appendDigits(out, c.d, 2);
  out += 'T';
  appendDigits(out, secs / 3600, 2);
  out += ':';
  appendDigits(out, (secs / 60) % 60, 2);
  out += ':';
  appendDigits(out, secs % 60, 2);
  if (fixed || frac != 0) {
    out += '.';
    appendDigits(out, frac, 6);
  }
  out += 'Z';
  return out;
}

// A tiny cursor over the input; every read checks bounds.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool accept(char c) {
    if (peek() == c && !done()) {
      ++i_;
      return true;
    }
    return false;
  }
  bool digits(std::size_t n, int& out) {
    if (i_ + n > s_.size()) return false;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      char c = s_[i_ + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i_ += n;
    out = v;
    return true;
  }
  // Up to 9 fraction digits, returned as microseconds (truncated).
  bool fraction(std::int64_t& micros) {
    std::size_t start = i_;
    std::int64_t v = 0;
    std::size_t n = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      if (n < 6) v = v * 10 + (s_[i_] - '0');
      ++n;
      ++i_;
    }
    if (n == 0 || n > 9) {
      i_ = start;
      return false;
    }
    for (std::size_t k = n; k < 6; ++k) v *= 10;
    micros = v;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

Timestamp nowUtc() {
  using namespace std::chrono;
  return {duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()};
}

std::string formatIso(Timestamp t) { return formatWith(t, false); }
std::string formatIsoFixed(Timestamp t) { return formatWith(t, true); }

std::optional<Timestamp> parseIso(std::string_view text) {
  Scanner sc(text);
  int y = 0, mo = 0, d = 0;
  if (!sc.digits(4, y) || !sc.accept('-') || !sc.digits(2, mo) || !sc.accept('-') || !sc.digits(2, d)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > daysInMonth(y, static_cast<unsigned>(mo))) {
    return std::nullopt;
  }
  int h = 0, mi = 0, s = 0;
  std::int64_t frac = 0;
  std::int64_t offset_minutes = 0;
  if (!sc.done()) {
    if (!sc.accept('T') && !sc.accept('t') && !sc.accept(' ')) return std::nullopt;
    if (!sc.digits(2, h) || !sc.accept(':') || !sc.digits(2, mi)) return std::nullopt;
    if (sc.accept(':')) {
      if (!sc.digits(2, s)) return std::nullopt;
      if (sc.accept('.') && !sc.fraction(frac)) return std::nullopt;
    }
    if (h > 23 || mi > 59 || s > 59) return std::nullopt;
    if (sc.accept('Z') || sc.accept('z')) {
      // UTC
    } else if (sc.peek() == '+' || sc.peek() == '-') {
      const bool negative = sc.peek() == '-';
      sc.accept(sc.peek());
      int oh = 0, om = 0;
      if (!sc.digits(2, oh)) return std::nullopt;
      sc.accept(':');
      if (!sc.done() && !sc.digits(2, om)) return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset_minutes = (oh * 60 + om) * (negative ? -1 : 1);
    }
    if (!sc.done()) return std::nullopt;
  }
  const std::int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  return Timestamp{secs * 1'000'000 + frac};
}

}  // namespace fraudgov
