#pragma once
// std::visit with one lambda per alternative: a missing alternative does not compile.
namespace postino {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
// Said explicitly for clang before 17 (the fuzz build), which does not deduce it for aggregates.
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace postino
