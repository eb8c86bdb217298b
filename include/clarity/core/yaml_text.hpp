#pragma once
/// \file
/// Checks of YAML text made before yaml-cpp sees it (the configuration, mapping templates,
/// settlement account maps): yaml-cpp reports a NUL byte as "unknown escape character" and
/// nesting beyond its recursion limit as "bad file", and it takes seconds on a megabyte of
/// nested flow brackets before it gives up. Plain text scanning, no YAML library here.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace clarity::core {

/// The deepest YAML nesting accepted: yaml-cpp's own recursion limit (its DepthGuard), which
/// applies to block and flow collections alike. No configuration or template comes close.
inline constexpr std::size_t kMaxYamlDepth = 500;

/// A problem at a place in the text; line and column count from 1.
struct TextProblem {
    std::size_t line = 1;
    std::size_t column = 1;
    std::string reason;
};

/// The first NUL byte, or the first flow collection (`[`, `{`) opening a level deeper than
/// kMaxYamlDepth; nullopt when neither is found. Quoted scalars and comments are skipped.
/// Deep block nesting (indentation, `- - -`) is left to yaml-cpp, which stops it quickly: map its
/// YAML::DeepRecursion to yaml_depth_reason().
std::optional<TextProblem> check_yaml_text(std::string_view text);

/// "YAML nested deeper than 500 levels (...)": the reason for too-deep YAML, whichever check
/// found it.
std::string yaml_depth_reason();

}  // namespace clarity::core
