#pragma once
/// \file
/// `Result<T>` = `boost::system::result<T, clarity::Error>` (Boost >= 1.79).

#include <boost/system/result.hpp>

#include "clarity/core/error.hpp"

namespace clarity {

/// Thrown by Result<T>::value() when it holds an error (programmer error: check first).
class ErrorException : public std::exception {
public:
    explicit ErrorException(Error error);
    const char* what() const noexcept override { return what_.c_str(); }
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
    std::string what_;
};

template <class T>
using Result = boost::system::result<T, Error>;

/// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

}  // namespace clarity
