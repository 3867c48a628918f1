#pragma once
#include <string_view>
namespace tour {
inline constexpr std::string_view tour_version = "0.1.0";
}
