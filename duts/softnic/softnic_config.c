/*
 * softnic_config.c — a small strict reader for the open() configuration object. Plain C has no
 * JSON library in this project, and the device needs only one flat object, so this reads exactly
 * RFC 8259 values (nested ones are skipped when their key is not one of ours) and rejects any
 * text that is not a single object.
 */
#include "softnic_config.h"

#include "softnic_profile.h"

#include <stdio.h>
#include <string.h>

typedef struct reader {
  const char *p;
  char *err;
  size_t err_capacity;
} reader;

static int fail(reader *r, const char *what) {
  if (r->err != NULL && r->err_capacity > 0) {
    snprintf(r->err, r->err_capacity, "open: config_json: %s", what);
  }
  return -1;
}

static void skip_ws(reader *r) {
  while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r') ++r->p;
}

/* A string; copies up to `capacity - 1` characters of it into `out` (if non-NULL). Escapes are
 * kept verbatim: our keys contain none, so an escaped key simply matches nothing. */
static int read_string(reader *r, char *out, size_t capacity) {
  if (*r->p != '"') return fail(r, "expected a string");
  ++r->p;
  size_t n = 0;
  while (*r->p != '"') {
    if (*r->p == '\0' || (unsigned char)*r->p < 0x20) return fail(r, "unterminated string");
    if (*r->p == '\\') {
      if (r->p[1] == '\0') return fail(r, "unterminated string");
      if (out != NULL && n + 1 < capacity) out[n++] = *r->p;
      ++r->p;
    }
    if (out != NULL && n + 1 < capacity) out[n++] = *r->p;
    ++r->p;
  }
  ++r->p;
  if (out != NULL && capacity > 0) out[n] = '\0';
  return 0;
}

static int read_value(reader *r, int depth);

static int read_container(reader *r, int depth, char open, char close) {
  if (depth > 32) return fail(r, "nested too deeply");
  ++r->p; /* the opening bracket */
  skip_ws(r);
  if (*r->p == close) {
    ++r->p;
    return 0;
  }
  for (;;) {
    skip_ws(r);
    if (open == '{') {
      if (read_string(r, NULL, 0) != 0) return -1;
      skip_ws(r);
      if (*r->p != ':') return fail(r, "expected ':' after a key");
      ++r->p;
    }
    if (read_value(r, depth + 1) != 0) return -1;
    skip_ws(r);
    if (*r->p == ',') {
      ++r->p;
      continue;
    }
    if (*r->p == close) {
      ++r->p;
      return 0;
    }
    return fail(r, "expected ',' or a closing bracket");
  }
}

static int read_value(reader *r, int depth) {
  skip_ws(r);
  const char c = *r->p;
  if (c == '{') return read_container(r, depth, '{', '}');
  if (c == '[') return read_container(r, depth, '[', ']');
  if (c == '"') return read_string(r, NULL, 0);
  if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "null", 4) == 0) {
    r->p += 4;
    return 0;
  }
  if (strncmp(r->p, "false", 5) == 0) {
    r->p += 5;
    return 0;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    const char *start = r->p;
    while (*r->p == '-' || *r->p == '+' || *r->p == '.' || *r->p == 'e' || *r->p == 'E' ||
           (*r->p >= '0' && *r->p <= '9')) {
      ++r->p;
    }
    return r->p > start ? 0 : fail(r, "bad number");
  }
  return fail(r, "expected a value");
}

static int read_bool(reader *r, const char *key, bool *out) {
  skip_ws(r);
  if (strncmp(r->p, "true", 4) == 0) {
    *out = true;
    r->p += 4;
    return 0;
  }
  if (strncmp(r->p, "false", 5) == 0) {
    *out = false;
    r->p += 5;
    return 0;
  }
  char msg[96];
  snprintf(msg, sizeof(msg), "\"%s\" must be true or false", key);
  return fail(r, msg);
}

/* A whole number in 1..SOFTNIC_MAX_BUNDLES. */
static int read_count(reader *r, const char *key, uint32_t *out) {
  skip_ws(r);
  unsigned long long v = 0;
  const char *start = r->p;
  while (*r->p >= '0' && *r->p <= '9' && v <= SOFTNIC_MAX_BUNDLES) {
    v = v * 10u + (unsigned)(*r->p - '0');
    ++r->p;
  }
  if (r->p == start || v < 1 || v > SOFTNIC_MAX_BUNDLES || *r->p == '.' || *r->p == 'e' ||
      *r->p == 'E' || (*r->p >= '0' && *r->p <= '9')) {
    char msg[128];
    snprintf(msg, sizeof(msg), "\"%s\" must be a whole number from 1 to %u", key, SOFTNIC_MAX_BUNDLES);
    return fail(r, msg);
  }
  *out = (uint32_t)v;
  return 0;
}

/* Fills the capacities left out (softnic_config.h). */
static void default_capacities(softnic_config *c) {
  const bool total_given = c->total_bundles != 0;
  if (c->inbound_bundles == 0) c->inbound_bundles = total_given ? c->total_bundles : 1024u;
  if (c->outbound_bundles == 0) c->outbound_bundles = total_given ? c->total_bundles : 1024u;
  if (c->dest_addresses == 0) c->dest_addresses = total_given ? c->total_bundles : 128u;
  if (!total_given) {
    const uint64_t sum = (uint64_t)c->inbound_bundles + c->outbound_bundles;
    c->total_bundles = sum > SOFTNIC_MAX_BUNDLES ? SOFTNIC_MAX_BUNDLES : (uint32_t)sum;
  }
}

int softnic_config_parse(const char *json, softnic_config *out, char *err, size_t err_capacity) {
  memset(out, 0, sizeof(*out));
  out->ipv4_options = softnic_profile_get()->header_shapes_by_default;
  out->ipv6_extension_headers = softnic_profile_get()->header_shapes_by_default;
  if (json == NULL) {
    default_capacities(out);
    return 0;
  }
  reader r = {json, err, err_capacity};
  skip_ws(&r);
  if (*r.p != '{') return fail(&r, "not a JSON object (softnic takes \"{}\" or known keys)");
  ++r.p;
  skip_ws(&r);
  if (*r.p == '}') {
    ++r.p;
  } else {
    for (;;) {
      char key[64];
      skip_ws(&r);
      if (read_string(&r, key, sizeof(key)) != 0) return -1;
      skip_ws(&r);
      if (*r.p != ':') return fail(&r, "expected ':' after a key");
      ++r.p;
      int rc;
      if (strcmp(key, "ipv4_options") == 0) {
        rc = read_bool(&r, key, &out->ipv4_options);
      } else if (strcmp(key, "ipv6_extension_headers") == 0) {
        rc = read_bool(&r, key, &out->ipv6_extension_headers);
      } else if (strcmp(key, "total_bundles") == 0) {
        rc = read_count(&r, key, &out->total_bundles);
      } else if (strcmp(key, "inbound_bundles") == 0) {
        rc = read_count(&r, key, &out->inbound_bundles);
      } else if (strcmp(key, "outbound_bundles") == 0) {
        rc = read_count(&r, key, &out->outbound_bundles);
      } else if (strcmp(key, "inbound_destination_addresses") == 0) {
        rc = read_count(&r, key, &out->dest_addresses);
      } else {
        rc = read_value(&r, 1); /* not ours: ignored (dut.h) */
      }
      if (rc != 0) return -1;
      skip_ws(&r);
      if (*r.p == ',') {
        ++r.p;
        continue;
      }
      if (*r.p == '}') {
        ++r.p;
        break;
      }
      return fail(&r, "expected ',' or '}'");
    }
  }
  skip_ws(&r);
  if (*r.p != '\0') return fail(&r, "text after the closing '}'");
  default_capacities(out);
  return 0;
}
