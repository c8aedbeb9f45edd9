/*
 * softnic_ah.c — AH and [ESP, AH] bundles on the datapath (softnic_ah.h).
 */
#include "softnic_ah.h"

#include <string.h>

#include <openssl/crypto.h>

#include "softnic_device.h"
#include "softnic_ndis.h"

#define AH_FIXED_LEN 12u      /* Next Header .. Sequence Number (RFC 4302 §2) */
#define GMAC_IV_LEN 8u        /* RFC 4543 §3.1 */
#define PRE_AH_MAX 512u       /* headers in front of AH this device rewrites for the ICV */
#define AH_MAX 64u            /* 12 + IV 8 + ICV 16, padded */
#define IPV4_MIN_HEADER 20u
#define IPV6_HEADER 40u
#define IPV6_HOP_BY_HOP 0u
#define IPV6_DEST_OPTIONS 60u
#define IPV6_FRAGMENT 44u
#define IPPROTO_IPV4_INNER 4u
#define IPPROTO_IPV6_INNER 41u

static bool is_gmac_sa(const softnic_sa *sa) { return sa->cipher != SOFTNIC_CIPHER_NULL; }

static size_t iv_len_of(const softnic_sa *sa) { return is_gmac_sa(sa) ? GMAC_IV_LEN : 0u; }

/* Minimal AH length: 4-octet multiple over IPv4, 8-octet over IPv6 (RFC 4302 §2.6, AH-018). */
static size_t minimal_ah_len(const softnic_sa *sa, bool ipv6) {
  const size_t raw = AH_FIXED_LEN + iv_len_of(sa) + sa->icv_len;
  const size_t unit = ipv6 ? 8u : 4u;
  return (raw + unit - 1u) / unit * unit;
}

/* IPv4 options that stay in the ICV input as sent (RFC 4302 App. A1); every other option,
 * unknown ones included (§3.3.3.1), is zeroed whole, type and length octets too. */
static bool ipv4_option_immutable(uint8_t type) {
  return type == 0x82u || type == 0x85u || type == 0x86u || type == 0x94u || type == 0x95u;
}

/* Rewrites the headers in front of AH (`hdr`, `len` octets, AH's offset from the IP header) into
 * their ICV-input form, `*icv_len` octets of it: an atomic IPv6 Fragment header (offset 0, M 0)
 * is left out and its Next Header goes into the header before it (RFC 4302 App. A2, AH-030).
 * False for a malformed option or a header the device cannot predict. */
static bool zero_mutable(uint8_t *hdr, size_t len, bool ipv6, size_t *icv_len) {
  *icv_len = len;
  if (!ipv6) {
    const size_t ihl = (size_t)(hdr[0] & 0x0Fu) * 4u;
    if (ihl != len) return false;
    hdr[1] = 0;                    /* DSCP / ECN */
    hdr[6] = hdr[7] = 0;           /* flags, fragment offset */
    hdr[8] = 0;                    /* TTL */
    hdr[10] = hdr[11] = 0;         /* header checksum */
    for (size_t i = IPV4_MIN_HEADER; i < ihl;) {
      const uint8_t type = hdr[i];
      if (type == 0u) break; /* End of Option List: the rest is padding, as sent */
      if (type == 1u) {      /* No Operation */
        ++i;
        continue;
      }
      if (ihl - i < 2u || hdr[i + 1] < 2u || hdr[i + 1] > ihl - i) return false;
      const size_t olen = hdr[i + 1];
      if (!ipv4_option_immutable(type)) memset(hdr + i, 0, olen);
      i += olen;
    }
    return true;
  }
  hdr[0] = 0x60;                   /* version; traffic class high nibble */
  hdr[1] = hdr[2] = hdr[3] = 0;    /* traffic class, flow label */
  hdr[7] = 0;                      /* hop limit */
  uint8_t nh = hdr[6];
  size_t nh_at = 6;         /* the Next Header octet that names header `nh`, in the output */
  size_t off = IPV6_HEADER; /* read position */
  size_t out = IPV6_HEADER; /* write position: behind a skipped Fragment header, `off` runs ahead */
  while (off < len) {
    if (nh == IPV6_FRAGMENT) {
      if (len - off < 8u || (((unsigned)hdr[off + 2u] << 8 | hdr[off + 3u]) & 0xFFF9u) != 0) return false;
      nh = hdr[off];
      hdr[nh_at] = nh;
      off += 8u;
      continue;
    }
    if (nh != IPV6_HOP_BY_HOP && nh != IPV6_DEST_OPTIONS) return false; /* not predictable here */
    if (len - off < 8u) return false;
    const size_t ext = ((size_t)hdr[off + 1] + 1u) * 8u;
    if (ext > len - off) return false;
    memmove(hdr + out, hdr + off, ext);
    for (size_t i = out + 2u; i < out + ext;) {
      if (hdr[i] == 0u) { /* Pad1 */
        ++i;
        continue;
      }
      if (out + ext - i < 2u || hdr[i + 1] > out + ext - i - 2u) return false;
      if (hdr[i] & 0x20u) memset(hdr + i + 2u, 0, hdr[i + 1]); /* may change en route */
      i += 2u + hdr[i + 1];
    }
    nh = hdr[out];
    nh_at = out;
    off += ext;
    out += ext;
  }
  *icv_len = out;
  return off == len;
}

/* The frame offset of AH in the datagram, or 0: IPv4 (with options only when advertised),
 * IPv6 with Hop-by-Hop / Destination Options in front only when extension headers are. */
static size_t locate_ah(const uint8_t *frame, size_t len, const softnic_ip_view *ip, bool ipv4_options,
                        bool ipv6_extension_headers) {
  if (ip->fragment) return 0;
  const size_t end = ip->ip_end < len ? ip->ip_end : len;
  size_t off = ip->ip_off + ip->header_len;
  uint8_t nh = ip->protocol;
  if (!ip->ipv6) {
    if (ip->header_len > IPV4_MIN_HEADER && !ipv4_options) return 0;
  } else if (ipv6_extension_headers) {
    while (nh == IPV6_HOP_BY_HOP || nh == IPV6_DEST_OPTIONS || nh == IPV6_FRAGMENT) {
      if (end < off || end - off < 8u) return 0;
      /* A Fragment header here is atomic: softnic_parse_ip refused the ones needing reassembly. */
      const size_t ext = nh == IPV6_FRAGMENT ? 8u : ((size_t)frame[off + 1] + 1u) * 8u;
      if (end - off < ext) return 0;
      nh = frame[off];
      off += ext;
    }
  }
  if (nh != SOFTNIC_IPPROTO_AH || end < off || end - off < AH_FIXED_LEN) return 0;
  return off;
}

/* The AH ICV of the datagram at `ip` (`dgram_len` octets, AH at `ah_rel` with `ah_len` octets),
 * into `icv` (sa->icv_len octets). The GMAC IV must already be in place. */
static bool compute_icv(softnic_sa *sa, const uint8_t *ip, size_t ah_rel, size_t ah_len, size_t dgram_len,
                        bool ipv6, uint8_t *icv) {
  uint8_t pre[PRE_AH_MAX];
  uint8_t ah[AH_MAX];
  const size_t icv_at = AH_FIXED_LEN + iv_len_of(sa);
  if (ah_rel > sizeof(pre) || ah_len > sizeof(ah) || ah_len < icv_at + sa->icv_len) return false;
  if (softnic_esp_sa_key(sa) != 0) return false;
  memcpy(pre, ip, ah_rel);
  size_t pre_len = ah_rel;
#if defined(SOFTNIC_FAULT_AH_MUTABLE_FIELDS_NOT_ZEROED)
  /* Fault: the engine authenticates the IP header as it is on the wire, TTL and checksum
   * included, as if AH covered it like the payload. */
  (void)zero_mutable;
  (void)ipv6;
#else
  if (!zero_mutable(pre, ah_rel, ipv6, &pre_len)) return false;
#endif
  memcpy(ah, ip + ah_rel, ah_len);
  memset(ah + icv_at, 0, sa->icv_len); /* the ICV field, not the padding (RFC 4302 §3.4.4) */
  const uint8_t *rest = ip + ah_rel + ah_len;
  const size_t rest_len = dgram_len - ah_rel - ah_len;
  const uint8_t high[4] = {(uint8_t)(sa->seq_high >> 24), (uint8_t)(sa->seq_high >> 16),
                           (uint8_t)(sa->seq_high >> 8), (uint8_t)sa->seq_high};
  if (!is_gmac_sa(sa)) {
    unsigned char md[EVP_MAX_MD_SIZE];
    size_t md_len = 0;
    int ok = EVP_MAC_init(sa->mac_ctx, NULL, 0, NULL) == 1 && /* same key, fresh state */
             EVP_MAC_update(sa->mac_ctx, pre, pre_len) == 1 && EVP_MAC_update(sa->mac_ctx, ah, ah_len) == 1 &&
             EVP_MAC_update(sa->mac_ctx, rest, rest_len) == 1;
    if (ok && sa->esn) ok = EVP_MAC_update(sa->mac_ctx, high, sizeof(high)) == 1; /* AH-031 */
    ok = ok && EVP_MAC_final(sa->mac_ctx, md, &md_len, sizeof(md)) == 1 && md_len >= sa->icv_len;
    if (ok) memcpy(icv, md, sa->icv_len);
    OPENSSL_cleanse(md, sizeof(md));
    return ok;
  }
  /* AES-GMAC (RFC 4543 §4, §7): nonce = salt || IV, the whole ICV input is AAD, no plaintext. */
  uint8_t nonce[SOFTNIC_GCM_SALT_LEN + GMAC_IV_LEN];
  memcpy(nonce, sa->salt, SOFTNIC_GCM_SALT_LEN);
  memcpy(nonce + SOFTNIC_GCM_SALT_LEN, ip + ah_rel + AH_FIXED_LEN, GMAC_IV_LEN);
  int outl = 0;
  int ok = EVP_CipherInit_ex(sa->cipher_ctx, NULL, NULL, NULL, nonce, 1) == 1 &&
           EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, pre, (int)pre_len) == 1 &&
           EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, ah, (int)ah_len) == 1 &&
           (rest_len == 0 || EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, rest, (int)rest_len) == 1);
  if (ok && sa->esn) ok = EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, high, (int)sizeof(high)) == 1;
  uint8_t unused[16];
  ok = ok && EVP_CipherFinal_ex(sa->cipher_ctx, unused, &outl) == 1 &&
       EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_GET_TAG, (int)sa->icv_len, icv) == 1;
  return ok;
}

/* Writes the GMAC IV (if any) and the ICV of the AH at `ah_off` of the frame `f` in place. */
static bool seal_ah(softnic_bundle *b, uint8_t *f, const softnic_ip_view *ip, size_t ah_off, size_t ah_len) {
  uint8_t *dgram = f + ip->ip_off;
  uint8_t *ah = f + ah_off;
#if defined(SOFTNIC_FAULT_AH_NEXT_HEADER_WRONG)
  /* Fault: the engine writes the protocol it parsed from the IP header into AH's Next Header,
   * as if it built AH itself: 51, AH's own number, where the payload's protocol belongs. */
  ah[0] = (uint8_t)(ip->ipv6 ? dgram[6] : dgram[9]);
#endif
#if defined(SOFTNIC_FAULT_AH_SEQUENCE_NOT_INCREMENTED)
  /* Fault: the engine writes its own per-SA counter into AH and never advances it. */
  ah[8] = 0;
  ah[9] = 0;
  ah[10] = 0;
  ah[11] = 1;
#endif
  if (is_gmac_sa(&b->ah)) {
    /* OQ-AH-1: the NIC writes the GMAC IV, the 64-bit sequence number (unique under the key). */
    const uint32_t low = softnic_load_be32(ah + 8u);
    const uint32_t hi = b->ah.esn ? b->ah.seq_high : 0u;
    const uint8_t iv[GMAC_IV_LEN] = {(uint8_t)(hi >> 24),  (uint8_t)(hi >> 16),  (uint8_t)(hi >> 8),
                                     (uint8_t)hi,          (uint8_t)(low >> 24), (uint8_t)(low >> 16),
                                     (uint8_t)(low >> 8),  (uint8_t)low};
    memcpy(ah + AH_FIXED_LEN, iv, GMAC_IV_LEN);
  }
  uint8_t icv[SOFTNIC_MAX_ICV];
  if (!compute_icv(&b->ah, dgram, ah_off - ip->ip_off, ah_len, ip->ip_end - ip->ip_off, ip->ipv6, icv)) return false;
  memcpy(ah + AH_FIXED_LEN + iv_len_of(&b->ah), icv, b->ah.icv_len);
  b->ah.packets++;
  return true;
}

#define FAIL_SEND(...)                       \
  do {                                       \
    softnic_set_error(dut, __VA_ARGS__);     \
    *completion_status = NDIS_STATUS_FAILURE; \
    return IPSEC_CTS_OK;                     \
  } while (0)

ipsec_cts_result softnic_ah_send(struct ipsec_cts_dut *dut, softnic_bundle *b, const uint8_t *frame,
                                 size_t length, const ipsec_cts_send_oob *oob,
                                 ipsec_cts_frame_list *out, uint32_t *completion_status) {
  softnic_ip_view ip;
  if (!softnic_parse_ip(frame, length, &ip)) {
    FAIL_SEND("send: the frame is not Ethernet II carrying a well-formed IPv4/IPv6 header");
  }
  if (ip.ipv6 != b->ipv6) {
    FAIL_SEND("send: an IPv%d packet on an IPv%d SA bundle", ip.ipv6 ? 6 : 4, b->ipv6 ? 6 : 4);
  }
  if (ip.fragment) FAIL_SEND("send: the IPv4 packet is a fragment (AH-034: AH before fragmentation)");
  if (ip.ip_end > length) {
    FAIL_SEND("send: the IP length field claims %zu bytes, the frame holds %zu", ip.ip_end - ip.ip_off,
              length - ip.ip_off);
  }
  const size_t ah_off = locate_ah(frame, length, &ip, dut->config.ipv4_options, dut->config.ipv6_extension_headers);
  if (ah_off == 0) {
    FAIL_SEND("send: the bundle holds AH, but no AH this device processes follows the IP header");
  }
  /* Slot 12 transmit view (SEND-003): where the transport says AH and ESP are. */
  const uint32_t ah_units = (oob->header_info >> NBL_HDR_SEND_AH_OFFSET_SHIFT) & 0xFFu;
  if (ah_units != 0 && ip.ip_off + (size_t)ah_units * 4u != ah_off) {
    FAIL_SEND("send: AhHeaderOffset %u (x4 = %u bytes) is not where AH is (%zu)", ah_units, ah_units * 4u,
              ah_off - ip.ip_off);
  }
  const uint32_t spi = softnic_load_be32(frame + ah_off + 4u);
  if (spi != b->ah.spi) {
    FAIL_SEND("send: the AH header carries SPI 0x%08x, the bundle's AH SA has SPI 0x%08x", spi, b->ah.spi);
  }
  const size_t ah_len = ((size_t)frame[ah_off + 1u] + 2u) * 4u;
  if (ah_len < AH_FIXED_LEN + iv_len_of(&b->ah) + b->ah.icv_len || ah_len > ip.ip_end - ah_off) {
    FAIL_SEND("send: AH Payload Len %u leaves no room for the SA's %u-byte ICV or runs past the datagram",
              frame[ah_off + 1u], b->ah.icv_len);
  }
  memcpy(out->data, frame, length);
  size_t esp_off = 0;
  if (b->has_esp) {
    esp_off = ah_off + ah_len;
    if (frame[ah_off] != SOFTNIC_IPPROTO_ESP || ip.ip_end - esp_off < 8u ||
        softnic_load_be32(frame + esp_off) != b->esp.spi) {
      FAIL_SEND("send: the bundle is [ESP, AH], but ESP with SPI 0x%08x does not follow AH", b->esp.spi);
    }
  }
  /* ADD-011 / AH-064: ESP completed first, then AH over the finished ESP packet. */
#if defined(SOFTNIC_FAULT_AH_BEFORE_ESP)
  /* Fault: the engine runs its two stages in the wrong order, authenticating the packet
   * before ESP encrypted it: AH covers a plaintext the peer never sees. */
  const bool ah_first = b->has_esp;
#else
  const bool ah_first = false;
#endif
  if (ah_first && !seal_ah(b, out->data, &ip, ah_off, ah_len)) {
    FAIL_SEND("send: the headers in front of AH cannot be authenticated (malformed option, or an "
              "extension header this device does not predict)");
  }
  if (b->has_esp) {
    switch (softnic_esp_encrypt(&b->esp, &dut->ivs, out->data + esp_off, ip.ip_end - esp_off)) {
      case SOFTNIC_ESP_OK:
        break;
      case SOFTNIC_ESP_BAD_LENGTH:
        FAIL_SEND("send: the ESP packet (%zu bytes) is too short for its IV, trailer and ICV", ip.ip_end - esp_off);
      default:
        FAIL_SEND("send: OpenSSL failed to protect the packet");
    }
  }
  if (!ah_first && !seal_ah(b, out->data, &ip, ah_off, ah_len)) {
    FAIL_SEND("send: the headers in front of AH cannot be authenticated (malformed option, or an "
              "extension header this device does not predict)");
  }
  out->frame_lengths[0] = length;
  out->frame_count = 1;
  *completion_status = NDIS_STATUS_SUCCESS;
  return IPSEC_CTS_OK;
}

static uint64_t crypto_word(uint32_t status) {
  return NBL_IPSEC_RECV_CRYPTO_DONE | ((uint64_t)status << NBL_IPSEC_RECV_CRYPTO_STATUS_SHIFT);
}

bool softnic_ah_receive(struct ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                        const softnic_ip_view *ip, uint8_t *out_frame, ipsec_cts_receive_result *result) {
  const size_t ah_off = locate_ah(frame, length, ip, dut->config.ipv4_options, dut->config.ipv6_extension_headers);
  if (ah_off == 0) return false;
  /* RECV-003: the SPI of the outermost header, then the destination. */
  softnic_bundle *b = softnic_table_find_inbound(&dut->table, softnic_load_be32(frame + ah_off + 4u), ip->ipv6,
                                                 ip->dst);
  if (b == NULL) return true; /* RECV-004: indicated without IPsec OOB data */
  const uint64_t delete_req = b->delete_requested ? NBL_IPSEC_RECV_SA_DELETE_REQ : 0;
  if (!b->has_ah) { /* an ESP SA with this SPI: the packet's protocol is not the SA's */
    result->ipsec_info = crypto_word(CRYPTO_INVALID_PROTOCOL) | delete_req;
    return true;
  }
  const size_t ah_len = ((size_t)frame[ah_off + 1u] + 2u) * 4u;
  const size_t minimal = minimal_ah_len(&b->ah, ip->ipv6);
  /* OQ-AH-4: the minimal form, or the 8-octet aligned IPv4 form; anything else is malformed
   * (OQ-AH-9), as is an AH that runs past the datagram. */
  if (ip->ip_end > length || ah_len > ip->ip_end - ah_off ||
      (ah_len != minimal && !(!ip->ipv6 && ah_len == (minimal + 7u) / 8u * 8u))) {
    result->ipsec_info = crypto_word(CRYPTO_INVALID_PACKET_SYNTAX) | delete_req;
    return true;
  }
  const size_t esp_off = ah_off + ah_len;
  if (b->has_esp && (frame[ah_off] != SOFTNIC_IPPROTO_ESP || ip->ip_end - esp_off < 8u ||
                     softnic_load_be32(frame + esp_off) != b->esp.spi)) {
    result->ipsec_info = crypto_word(CRYPTO_INVALID_PROTOCOL) | delete_req; /* not the bundle's shape */
    return true;
  }
  /* AH first (OQ-10), with the SA's current high half (OQ-26). */
  uint8_t icv[SOFTNIC_MAX_ICV];
  const size_t icv_at = ah_off + AH_FIXED_LEN + iv_len_of(&b->ah);
  if (!compute_icv(&b->ah, frame + ip->ip_off, ah_off - ip->ip_off, ah_len, ip->ip_end - ip->ip_off, ip->ipv6,
                   icv)) {
    result->ipsec_info = crypto_word(CRYPTO_INVALID_PACKET_SYNTAX) | delete_req;
    return true;
  }
  if (CRYPTO_memcmp(icv, frame + icv_at, b->ah.icv_len) != 0) {
    /* The tunnel portion when AH carries an inner IP packet (CRYPTO_TUNNEL_AH_AUTH_FAILED, AH-071). ESP is not opened:
     * the payload stays as received (RFC 4302 §3.4). */
    const uint8_t nh = frame[ah_off];
    const uint32_t status = nh == IPPROTO_IPV4_INNER || nh == IPPROTO_IPV6_INNER ? CRYPTO_TUNNEL_AH_AUTH_FAILED
                                                                                 : CRYPTO_TRANSPORT_AH_AUTH_FAILED;
    result->ipsec_info = crypto_word(status) | delete_req;
    return true;
  }
  if (!b->has_esp) { /* AH is never "decrypted": indicated as received, HeaderInfoSet 0 */
    result->ipsec_info = crypto_word(CRYPTO_SUCCESS) | delete_req;
    return true;
  }
  uint8_t next_header = 0;
  uint8_t pad_length = 0;
  uint32_t status = CRYPTO_SUCCESS;
  switch (softnic_esp_decrypt(&b->esp, frame + esp_off, out_frame + esp_off, ip->ip_end - esp_off, &next_header,
                              &pad_length)) {
    case SOFTNIC_ESP_OK:
      result->header_info = (uint32_t)next_header | ((uint32_t)pad_length << NBL_HDR_RECV_PAD_LENGTH_SHIFT) |
                            NBL_HDR_RECV_HEADER_INFO_SET;
      break;
    case SOFTNIC_ESP_AUTH_FAILED:
      status = CRYPTO_TRANSPORT_ESP_AUTH_FAILED; /* the bundle is one transport portion */
      break;
    case SOFTNIC_ESP_BAD_LENGTH:
    case SOFTNIC_ESP_BAD_TRAILER:
      status = CRYPTO_INVALID_PACKET_SYNTAX;
      break;
    case SOFTNIC_ESP_INTERNAL:
      status = CRYPTO_GENERIC_ERROR;
      memcpy(out_frame, frame, length);
      break;
  }
  result->ipsec_info = crypto_word(status) | delete_req;
  return true;
}
