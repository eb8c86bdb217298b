#include "common/id_map.hpp"

#include <functional>

#include "clarity/store/async_store.hpp"

namespace clarity::flows {

boost::asio::awaitable<Result<std::optional<store::IdMapping>>> find_odoo_record(
    store::AsyncStore& store, std::string connection, std::string kind, std::string amazon_id) {
    std::function<Result<std::optional<store::IdMapping>>(store::Store&)> lookup =
        [connection, kind, amazon_id](store::Store& s) {
            return s.find_by_external(connection, kind, amazon_id);
        };
    co_return co_await store.call(std::move(lookup));
}

boost::asio::awaitable<Result<void>> remember_odoo_record(store::AsyncStore* store,
                                                          store::IdMapping mapping) {
    if (store == nullptr) co_return Result<void>{};
    std::function<Result<void>(store::Store&)> fn = [mapping](store::Store& s) {
        return s.put_id(mapping);
    };
    co_return co_await store->call(std::move(fn));
}

boost::asio::awaitable<Result<std::string>> cursor_or_set(store::AsyncStore& store,
                                                          std::string connection,
                                                          std::string name,
                                                          std::string value) {
    std::function<Result<std::string>(store::Store&)> fn =
        [connection, name, value](store::Store& s) -> Result<std::string> {
        auto have = s.cursor(connection, name);
        if (!have) return have.error();
        if (*have) return **have;
        auto set = s.set_cursor(connection, name, value);
        if (!set) return set.error();
        return value;
    };
    co_return co_await store.call(std::move(fn));
}

}  // namespace clarity::flows
