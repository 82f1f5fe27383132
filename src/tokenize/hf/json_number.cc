#include "tokenize/hf/json_number.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace tunepack::tokenize::hf {
namespace {

constexpr uint64_t kMaxSignificand = std::numeric_limits<uint64_t>::max();
constexpr int32_t kMaxExponent = std::numeric_limits<int32_t>::max();

// 10^0 .. 10^308, each the nearest double (the reader's table of literals).
const std::array<double, 309>& PowersOfTen() {
  static const std::array<double, 309> table = [] {
    std::array<double, 309> powers{};
    for (int i = 0; i < 309; ++i) {
      const std::string text = "1e" + std::to_string(i);
      std::from_chars(text.data(), text.data() + text.size(), powers[i]);
    }
    return powers;
  }();
  return table;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whether `value * 10 + digit` would not fit in `max`.
template <typename T>
bool Overflows(T value, T digit, T max) {
  return value >= max / 10 && (value > max / 10 || digit > max % 10);
}

class NumberReader {
 public:
  explicit NumberReader(std::string_view text) : text_(text) {}

  Result<double> Read() {
    const bool positive = !Eat('-');
    if (!IsDigit(Peek())) return Invalid();
    const char first = Next();
    if (first == '0') {
      if (IsDigit(Peek())) return Invalid();  // one leading zero only
      return AfterInteger(positive, 0);
    }
    uint64_t significand = static_cast<uint64_t>(first - '0');
    while (IsDigit(Peek())) {
      const uint64_t digit = static_cast<uint64_t>(Peek() - '0');
      if (Overflows(significand, digit, kMaxSignificand)) return LongInteger(positive, significand);
      ++pos_;
      significand = significand * 10 + digit;
    }
    return AfterInteger(positive, significand);
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  char Next() { return pos_ < text_.size() ? text_[pos_++] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  Result<double> Invalid() const {
    return InvalidArgumentError("\"" + std::string(text_) + "\" is not a JSON number");
  }
  Result<double> Done(double value) const {
    if (pos_ != text_.size()) return Invalid();
    return value;
  }

  Result<double> AfterInteger(bool positive, uint64_t significand) {
    if (Peek() == '.') return Decimal(positive, significand, 0);
    if (Peek() == 'e' || Peek() == 'E') return Exponent(positive, significand, 0);
    // An integer: converted to a double in one rounding.
    const double magnitude = static_cast<double>(significand);
    return Done(positive ? magnitude : -magnitude);
  }

  // The integer part had more digits than fit: the rest only scale it.
  Result<double> LongInteger(bool positive, uint64_t significand) {
    int32_t exponent = 0;
    while (IsDigit(Peek())) {
      ++pos_;
      ++exponent;
    }
    if (Peek() == '.') return Decimal(positive, significand, exponent);
    if (Peek() == 'e' || Peek() == 'E') return Exponent(positive, significand, exponent);
    return FromParts(positive, significand, exponent);
  }

  Result<double> Decimal(bool positive, uint64_t significand, int32_t exponent_before_point) {
    ++pos_;  // '.'
    int32_t exponent_after_point = 0;
    while (IsDigit(Peek())) {
      const uint64_t digit = static_cast<uint64_t>(Peek() - '0');
      if (Overflows(significand, digit, kMaxSignificand)) {
        // Digits that no longer fit are dropped.
        while (IsDigit(Peek())) ++pos_;
        break;
      }
      ++pos_;
      significand = significand * 10 + digit;
      --exponent_after_point;
    }
    if (pos_ > 0 && text_[pos_ - 1] == '.') return Invalid();  // no digit after the point
    const int32_t exponent = exponent_before_point + exponent_after_point;
    if (Peek() == 'e' || Peek() == 'E') return Exponent(positive, significand, exponent);
    return FromParts(positive, significand, exponent);
  }

  Result<double> Exponent(bool positive, uint64_t significand, int32_t starting_exponent) {
    ++pos_;  // 'e' or 'E'
    bool positive_exponent = true;
    if (Eat('-')) {
      positive_exponent = false;
    } else {
      Eat('+');
    }
    if (!IsDigit(Peek())) return Invalid();
    int32_t exponent = Next() - '0';
    while (IsDigit(Peek())) {
      const int32_t digit = Peek() - '0';
      if (Overflows(exponent, digit, kMaxExponent)) {
        while (IsDigit(Peek())) ++pos_;
        if (significand != 0 && positive_exponent) return OutOfRange();
        return Done(positive ? 0.0 : -0.0);
      }
      ++pos_;
      exponent = exponent * 10 + digit;
    }
    const int64_t total = positive_exponent ? int64_t{starting_exponent} + exponent
                                            : int64_t{starting_exponent} - exponent;
    const int32_t saturated = static_cast<int32_t>(
        std::clamp<int64_t>(total, std::numeric_limits<int32_t>::min(), kMaxExponent));
    return FromParts(positive, significand, saturated);
  }

  // The significand rounded to a double, then one multiplication or division by 10^exponent.
  Result<double> FromParts(bool positive, uint64_t significand, int32_t exponent) {
    const auto& powers = PowersOfTen();
    double value = static_cast<double>(significand);
    int64_t remaining = exponent;
    while (true) {
      const int64_t magnitude = remaining < 0 ? -remaining : remaining;
      if (magnitude < static_cast<int64_t>(powers.size())) {
        if (remaining >= 0) {
          value *= powers[magnitude];
          if (std::isinf(value)) return OutOfRange();
        } else {
          value /= powers[magnitude];
        }
        break;
      }
      if (value == 0.0) break;
      if (remaining >= 0) return OutOfRange();
      value /= 1e308;
      remaining += 308;
    }
    return Done(positive ? value : -value);
  }

  Result<double> OutOfRange() const {
    return InvalidArgumentError("the number " + std::string(text_) + " is out of range");
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<double> ParseHfJsonNumber(std::string_view token) { return NumberReader(token).Read(); }

}  // namespace tunepack::tokenize::hf
