// The requirement catalogue has one reader, shared with the runner and the views
// (runner/results/requirement_catalogue.h); the case layer names it here.
#pragma once

#include "runner/results/requirement_catalogue.h"

namespace cts::cases {

using results::Requirement;
using results::RequirementCatalogue;

}  // namespace cts::cases
