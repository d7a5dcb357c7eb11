#pragma once
// std::visit with one lambda per alternative: a missing alternative does not compile.
namespace postino {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
// C++20 deduces this for aggregates, but clang 14 (Emscripten's, for the browser build) does not.
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace postino
