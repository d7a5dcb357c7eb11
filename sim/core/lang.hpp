#pragma once
// The languages people read Postino in. Italian is a first language, not a translation.
namespace postino {

enum class Lang { En, It };

}  // namespace postino
