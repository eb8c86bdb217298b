#include "settings.hpp"

namespace clarity::app {

int run_daemon(const Settings&) { return 0; }

}  // namespace clarity::app
