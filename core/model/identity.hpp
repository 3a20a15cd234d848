// The record model's names for the identity validators, which live in the
// SDK (sseccoe/sdk/identity.hpp) so that plugins, the core and the registry
// share one implementation. Include the SDK header in new code.
#pragma once

#include "sseccoe/sdk/identity.hpp"

namespace sseccoe::model {

using sdk::identity::curp_error;
using sdk::identity::is_iso_date;
using sdk::identity::mask_curp;
using sdk::identity::mask_rfc;
using sdk::identity::rfc_check_digit_ok;
using sdk::identity::rfc_error;

}  // namespace sseccoe::model
