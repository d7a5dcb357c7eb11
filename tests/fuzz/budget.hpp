#pragma once
// What every fuzz target shares. A step that takes longer than the time budget is a finding, as a
// crash is: `postino serve` runs every client on one thread, so one slow command is a denial of
// service for all. A step is what the server does for one line (one command), or one message
// parsed, or a hundred scenario events; a whole input may take `steps` budgets (a long input of
// quick commands is no finding, a quadratic one still is). POSTINO_FUZZ_BUDGET_MS changes the
// budget (100 ms by default). The time is the thread's CPU time, not the wall clock: a machine
// shared with other jobs is no finding.
#include <time.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace postino::fuzz {

class Budget {
 public:
  explicit Budget(const char* what = "input", long steps = 1)
      : what_(what), steps_(steps), start_(cpu_ms()) {}
  ~Budget() {
    static const long per_step = [] {
      const char* v = std::getenv("POSTINO_FUZZ_BUDGET_MS");
      return v ? std::strtol(v, nullptr, 10) : 100L;
    }();
    const long limit = per_step * steps_;
    const long long ms = cpu_ms() - start_;
    if (limit > 0 && ms > limit) {
      std::fprintf(stderr, "==postino-fuzz== slow %s: %lld ms, over the budget of %ld ms\n",
                   what_, ms, limit);
      std::abort();
    }
  }
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

 private:
  static long long cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<long long>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
  }
  const char* what_;
  long steps_;
  long long start_;
};

// A whole input's budget: generous, since each step has its own.
inline constexpr long kInputSteps = 20;

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut after each '\n': how bytes arrive from a socket, a line at a time.
inline std::vector<std::string_view> lines(std::string_view in) {
  std::vector<std::string_view> out;
  while (!in.empty()) {
    const auto lf = in.find('\n');
    const std::size_t n = lf == std::string_view::npos ? in.size() : lf + 1;
    out.push_back(in.substr(0, n));
    in.remove_prefix(n);
  }
  return out;
}

}  // namespace postino::fuzz
