#pragma once
// std::visit with one lambda per alternative: a missing alternative does not compile.
namespace postino {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

}  // namespace postino
