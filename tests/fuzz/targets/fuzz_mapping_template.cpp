// libFuzzer target: mapping templates (YAML a seller writes or edits). Loading answers with a
// template or a mapping::TemplateError naming a place; never a crash or another exception.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "clarity/mapping/template.hpp"

using namespace clarity::mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    try {
        auto t = MappingTemplate::load_string(yaml, "fuzz.yaml");
        (void)t.referenced_models();
    } catch (const TemplateError& e) {
        if (std::string_view(e.what()).empty()) std::abort();
    }
    return 0;
}
