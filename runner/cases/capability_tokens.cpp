#include "runner/cases/capability_tokens.h"

#include "oracle/ndis/constants.h"
#include "runner/cases/case_names.h"

namespace cts::cases {

std::optional<CapabilityToken> parse_capability_token(const std::string& text) {
  CapabilityToken token;
  token.text = text;
  token.negated = !text.empty() && text[0] == '!';
  const std::string name = token.negated ? text.substr(1) : text;
  if (auto kind = kCapabilityTokenNames.find(name)) {
    token.kind = *kind;
    return token;
  }
  if (name.rfind("enc:", 0) == 0 &&
      ndis::encryption_algorithm_from_name("IPSEC_OFFLOAD_V2_ENCRYPTION_" + name.substr(4), token.algorithm)) {
    token.kind = CapabilityKind::encryption;
    return token;
  }
  if (name.rfind("auth:", 0) == 0 &&
      ndis::authentication_algorithm_from_name("IPSEC_OFFLOAD_V2_AUTHENTICATION_" + name.substr(5),
                                               token.algorithm)) {
    token.kind = CapabilityKind::authentication;
    return token;
  }
  return std::nullopt;
}

}  // namespace cts::cases
