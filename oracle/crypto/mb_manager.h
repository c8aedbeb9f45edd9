// The libipsec-mb managers the ipsec-mb backend runs on (nullptr when the library is not built in
// or the CPU lacks AES-NI / PCLMULQDQ).
//
// Two managers, because the fastest code path differs per API on the CPUs this runs on:
//   direct: AES-GCM / GMAC through the direct API, initialised for the best architecture the CPU
//           has (init_mb_mgr_auto: VAES/AVX2 or AVX-512 GCM). The direct API only reads the
//           manager's function pointers, so one process-wide manager serves every thread.
//   jobs:   AES-CBC + HMAC through the job API, which keeps a job queue in the manager: one per
//           thread (thread_local, allocated on a thread's first job and freed at its exit). On a
//           CPU with SHA extensions it is the SSE manager, the only one whose HMAC-SHA1/SHA-256
//           uses them (a single job then completes 2-4x faster than on the AVX2 manager, whose
//           8-lane code runs empty lanes; measured on AMD Zen 3).
#pragma once

struct IMB_MGR;

namespace cts::crypto {

IMB_MGR* mb_direct_manager();
IMB_MGR* mb_job_manager();

}  // namespace cts::crypto
