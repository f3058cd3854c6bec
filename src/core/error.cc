// Names of error codes.
#include "core/error.h"

#include "core/enum_names.h"

namespace booklib {

namespace {

constexpr EnumName<ErrorCode> kErrorCodeNames[] = {
    {ErrorCode::kInternal, "internal"},  // first: the name of a value outside the enum
    {ErrorCode::kInvalidArgument, "invalid_argument"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kAlreadyExists, "already_exists"},
    {ErrorCode::kUnauthenticated, "unauthenticated"},
    {ErrorCode::kPermissionDenied, "permission_denied"},
    {ErrorCode::kTooLarge, "too_large"},
    {ErrorCode::kUnavailable, "unavailable"},
    {ErrorCode::kTooManyRequests, "too_many_requests"},
};

}  // namespace

const char* ErrorCodeName(ErrorCode code) { return NameOf(kErrorCodeNames, code); }

}  // namespace booklib
