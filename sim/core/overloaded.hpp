#pragma once
// std::visit with one lambda per alternative: a missing alternative does not compile.
namespace postino {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
// C++20 deduces this for aggregates, but clang before 17 (the fuzz build, and Emscripten's clang
// 14 for the browser build) does not.
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace postino
