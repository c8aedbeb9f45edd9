// libFuzzer target: every IPsecOV2 decoder and the request validation, on both ABIs, with the
// in-file Next convention and with a live-pointer base. Besides the sanitizers' memory checks it
// traps on a broken property: a rejection without a failure status or message, or a decoded
// request that does not survive encode -> decode unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/validate.h"

namespace {

using namespace cts::ndis;

template <typename T>
void check_rejection(const Decoded<T>& d) {
  if (const auto* e = std::get_if<DecodeError>(&d)) {
    if (!ndis_failed(e->status) || e->message.empty()) __builtin_trap();
  }
}

void validate_all(const AddSaElement& e) {
  for (bool salt : {true, false}) {
    ValidationOptions o;
    o.gcm_key_includes_salt = salt;
    auto v = validate_add_element(e, 0, o);
    if (auto* spec = std::get_if<BundleSpec>(&v)) {
      for (auto& sa : spec->sas) {
        if (sa.keys.encryption_key_length > 32 || sa.keys.authentication_key_length > 32) {
          __builtin_trap();
        }
        cleanse(sa.keys);
      }
    } else if (std::get<DecodeError>(v).field.empty()) {
      __builtin_trap();
    }
  }
}

void run(std::span<const uint8_t> b, Abi abi, NextLinks links) {
  auto add = decode_add_sa(b, abi, links);
  check_rejection(add);
  if (auto* r = std::get_if<AddSaRequest>(&add)) {
    for (const auto& e : r->elements) validate_all(e);
    auto again = decode_add_sa(encode_add_sa(*r, abi, {}), abi, {});
    if (!std::holds_alternative<AddSaRequest>(again) || std::get<AddSaRequest>(again) != *r) {
      __builtin_trap();
    }
  }
  auto del = decode_delete_sa(b, abi, links);
  check_rejection(del);
  if (auto* r = std::get_if<DeleteSaRequest>(&del)) {
    auto again = decode_delete_sa(encode_delete_sa(*r, abi, {}), abi, {});
    if (!std::holds_alternative<DeleteSaRequest>(again) || std::get<DeleteSaRequest>(again) != *r) {
      __builtin_trap();
    }
  }
  (void)list_element_offsets(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi, links);
  (void)list_element_offsets(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, abi, links);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> b(data, size);
  for (Abi abi : {Abi::x64, Abi::x86}) {
    run(b, abi, {});
    run(b, abi, {0x10000});  // live pointers relative to a made-up buffer address
    auto ex = decode_add_sa_ex(b, abi);
    check_rejection(ex);
    if (auto* r = std::get_if<AddSaExRequest>(&ex)) {
      validate_all(r->element);
      auto again = decode_add_sa_ex(encode_add_sa_ex(*r, abi), abi);
      if (!std::holds_alternative<AddSaExRequest>(again) ||
          std::get<AddSaExRequest>(again) != *r) {
        __builtin_trap();
      }
    }
    auto upd = decode_update_sa(b, abi);
    check_rejection(upd);
    if (auto* r = std::get_if<UpdateSaRequest>(&upd)) (void)validate_update_request(*r);
    std::vector<uint8_t> copy(data, data + size);
    (void)rebase_next_links(copy, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi, {}, {0x2000});
    (void)rebase_next_links(copy, OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, abi, {}, {0x2000});
  }
  auto caps = decode_capabilities(b);
  check_rejection(caps);
  if (auto* c = std::get_if<IpsecOffloadV2Capabilities>(&caps)) (void)check_capabilities(*c);
  return 0;
}
