#include "runner/vectors/kat_checks.h"

#include <memory>

#include "oracle/crypto/hmac.h"
#include "oracle/esp/esp_transform.h"
#include "runner/vectors/json_fields.h"

namespace cts::vectors {

namespace {

using Bytes = std::vector<uint8_t>;

Bytes concat(std::initializer_list<const Bytes*> parts) {
  Bytes out;
  for (const Bytes* p : parts) out.insert(out.end(), p->begin(), p->end());
  return out;
}

Bytes slice(const Bytes& b, size_t from, size_t to) {
  return Bytes(b.begin() + static_cast<long>(from), b.begin() + static_cast<long>(to));
}

Bytes be32(uint32_t x) {
  return {static_cast<uint8_t>(x >> 24), static_cast<uint8_t>(x >> 16), static_cast<uint8_t>(x >> 8),
          static_cast<uint8_t>(x)};
}

// The sequence number's high half, appended or inserted only when the SA uses ESN (RFC 4303 §2.2.1).
Bytes seq_high(const KnownAnswer& v) {
  return v.esn && v.seq ? be32(static_cast<uint32_t>(*v.seq >> 32)) : Bytes{};
}

bool check_sizes(const KnownAnswer& v, const esp::EspSuite& suite, KatOutcome& o) {
  bool ok = true;
  if (v.algorithm.icv_bytes) {
    o.checks.emplace_back("algorithm.icv_bytes");
    if (*v.algorithm.icv_bytes != esp::icv_size(suite))
      ok = kat_fail(o, "algorithm.icv_bytes: " + std::to_string(*v.algorithm.icv_bytes) + ", the transform's ICV is " +
                           std::to_string(esp::icv_size(suite)) + " octets");
  }
  if (v.algorithm.iv_bytes) {
    o.checks.emplace_back("algorithm.iv_bytes");
    if (*v.algorithm.iv_bytes != esp::iv_size(suite) || (v.iv && v.iv->size() != *v.algorithm.iv_bytes))
      ok = kat_fail(o, "algorithm.iv_bytes: " + std::to_string(*v.algorithm.iv_bytes) + ", the transform's IV is " +
                           std::to_string(esp::iv_size(suite)) + " octets and iv holds " +
                           std::to_string(v.iv ? v.iv->size() : 0));
  }
  return ok;
}

bool check_keys(const KnownAnswer& v, KatOutcome& o) {
  bool ok = true;
  if (!v.keymat.empty()) ok &= kat_same(o, "keys.keymat = enc_key || salt", v.keymat, concat({&v.enc_key, &v.salt}));
  if (v.key_bytes) {
    // key_bytes states the length of the key the primitive or transform is keyed with.
    const size_t actual = !v.keymat.empty() ? v.keymat.size() : !v.enc_key.empty() ? v.enc_key.size() : v.auth_key.size();
    o.checks.emplace_back("keys.key_bytes");
    if (*v.key_bytes != actual)
      ok = kat_fail(o, "keys.key_bytes: " + std::to_string(*v.key_bytes) + ", the key holds " + std::to_string(actual) +
                           " octets");
  }
  if (v.nonce) ok &= kat_same(o, "nonce = salt || iv (RFC 4106 §4)", *v.nonce, concat({&v.salt, &*v.iv}));
  return ok;
}

// Fields tied to the ESP packet: SPI, sequence number, cipher input/output, AAD, ICV, ICV input.
bool check_packet_fields(const KnownAnswer& v, const esp::EspSuite& suite, const crypto::CryptoLibrary& lib,
                         KatOutcome& o) {
  if (!v.expected.esp_packet) return true;
  const Bytes& esp = *v.expected.esp_packet;
  const size_t iv = esp::iv_size(suite), icv = esp::icv_size(suite);
  if (esp.size() < 8 + iv + icv) return kat_fail(o, "expected.esp_packet: shorter than header, IV and ICV");
  const size_t body_end = esp.size() - icv;
  bool ok = true;
  if (v.spi) ok &= kat_same(o, "spi = esp_packet[0..4)", be32(*v.spi), slice(esp, 0, 4));
  if (v.seq_on_wire) {
    ok &= kat_same(o, "seq_on_wire = esp_packet[4..8)", be32(*v.seq_on_wire), slice(esp, 4, 8));
    if (v.seq) ok &= kat_same(o, "seq_on_wire = low half of seq", be32(*v.seq_on_wire), be32(static_cast<uint32_t>(*v.seq)));
  }
  if (v.iv && !v.iv->empty()) ok &= kat_same(o, "iv = esp_packet IV field", *v.iv, slice(esp, 8, 8 + iv));
  if (v.expected.icv) ok &= kat_same(o, "expected.icv = esp_packet tail", *v.expected.icv, slice(esp, body_end, esp.size()));
  const Bytes body = slice(esp, 8 + iv, body_end);
  const bool encrypts = suite.encryption != esp::EspEncryption::null && !esp::is_gmac(suite.encryption);
  if (v.expected.ciphertext && encrypts) ok &= kat_same(o, "expected.ciphertext = esp_packet body", *v.expected.ciphertext, body);
  if (v.expected.cleartext_body) {
    if (encrypts) return kat_fail(o, "expected.cleartext_body given for a transform that encrypts");
    ok &= kat_same(o, "expected.cleartext_body = esp_packet body", *v.expected.cleartext_body, body);
  }
  if (v.esp_plaintext && !encrypts) ok &= kat_same(o, "esp_plaintext = esp_packet body", *v.esp_plaintext, body);
  if (v.esp_plaintext && v.inner) {
    // RFC 4303 §2.4: payload, padding, Pad Length, Next Header; the pad bytes are the sender's.
    const Bytes& p = *v.esp_plaintext;
    o.checks.emplace_back("esp_plaintext = inner.payload || padding || pad_length || next_header");
    const size_t need = v.inner->payload.size() + v.inner->pad_length + 2;
    if (p.size() != need || !std::equal(v.inner->payload.begin(), v.inner->payload.end(), p.begin()) ||
        p[p.size() - 2] != v.inner->pad_length || p.back() != v.inner->next_header)
      ok = kat_fail(o, "esp_plaintext: " + std::to_string(p.size()) + " octets do not end in inner.pad_length " +
                           std::to_string(v.inner->pad_length) + " and next_header " +
                           std::to_string(v.inner->next_header) + " after inner.payload (" + std::to_string(need) +
                           " octets expected)");
  }
  const Bytes spi = slice(esp, 0, 4), seq_low = slice(esp, 4, 8), hi = seq_high(v);
  if (v.aad) {
    if (esp::is_gcm(suite.encryption)) {
      // RFC 4106 §5: SPI || [seq high] || seq low.
      ok &= kat_same(o, "aad = SPI || seq (RFC 4106 §5)", *v.aad, concat({&spi, &hi, &seq_low}));
    } else if (esp::is_gmac(suite.encryption)) {
      // RFC 4543 §3.3: the whole packet before the ICV, the high half inserted after the SPI.
      const Bytes rest = slice(esp, 8, body_end);
      ok &= kat_same(o, "aad = SPI || seq || IV || body (RFC 4543 §3.3)", *v.aad, concat({&spi, &hi, &seq_low, &rest}));
    } else {
      return kat_fail(o, "aad given for a transform that uses none");
    }
  }
  if (v.icv_input) {
    if (!esp::has_integrity(suite) || esp::is_combined(suite.encryption))
      return kat_fail(o, "icv_input given for a transform without a separate HMAC");
    // RFC 4303 §2.8 / §3.3.2.1: the ICV covers SPI..Next Header, the ESN high half appended.
    const Bytes covered = slice(esp, 0, body_end);
    ok &= kat_same(o, "icv_input = esp_packet without ICV || seq high (RFC 4303 §3.3.2.1)", *v.icv_input,
                   concat({&covered, &hi}));
    std::unique_ptr<crypto::Hmac> h;
    const crypto::ByteView key(v.auth_key.data(), v.auth_key.size());
    if (!crypto::Hmac::create(lib, esp::hmac_algorithm_of(suite.integrity), key, icv, h).ok())
      return kat_fail(o, "icv_input: HMAC create");
    Bytes mac(icv);
    const crypto::ByteView parts[] = {crypto::ByteView(v.icv_input->data(), v.icv_input->size())};
    if (!h->compute(parts, crypto::MutableBytes(mac.data(), mac.size())).ok()) return kat_fail(o, "icv_input: HMAC compute");
    ok &= kat_same(o, "HMAC(auth_key, icv_input) = ICV", slice(esp, body_end, esp.size()), mac);
  }
  return ok;
}

}  // namespace

bool kat_same(KatOutcome& o, const std::string& what, const Bytes& expected, const Bytes& got) {
  o.checks.push_back(what);
  if (expected == got) return true;
  size_t i = 0;
  while (i < expected.size() && i < got.size() && expected[i] == got[i]) ++i;
  return kat_fail(o, what + ": differs at octet " + std::to_string(i) + " (expected " + std::to_string(expected.size()) +
                         " octets " + hex_string(expected) + ", got " + std::to_string(got.size()) + " octets " +
                         hex_string(got) + ")");
}

bool kat_fail(KatOutcome& o, const std::string& why) {
  if (o.failure.empty()) o.failure = why;
  return false;
}

bool check_documented_fields(const KnownAnswer& v, const esp::EspSuite& suite, const crypto::CryptoLibrary& lib,
                             KatOutcome& o) {
  if (v.nonce && !v.iv) return kat_fail(o, "nonce given without iv");
  bool ok = check_sizes(v, suite, o);
  ok &= check_keys(v, o);
  ok &= check_packet_fields(v, suite, lib, o);
  return ok;
}

}  // namespace cts::vectors
