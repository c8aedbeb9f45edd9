#include "oracle/crypto/mb_manager.h"

#ifdef CTS_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

namespace cts::crypto {

#ifdef CTS_HAVE_IPSEC_MB
namespace {
constexpr uint64_t kRequired = IMB_FEATURE_AESNI | IMB_FEATURE_PCLMULQDQ;

bool cpu_runs_ipsec_mb() { return (imb_get_feature_flags() & kRequired) == kRequired; }

struct JobManager {
  IMB_MGR* mgr = nullptr;
  JobManager() {
    mgr = alloc_mb_mgr(0);
    if (mgr == nullptr) return;
    if (mgr->features & IMB_FEATURE_SHANI) {
      init_mb_mgr_sse(mgr);
    } else {
      init_mb_mgr_auto(mgr, nullptr);
    }
  }
  ~JobManager() { free_mb_mgr(mgr); }
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;
};
}  // namespace

IMB_MGR* mb_direct_manager() {
  // Intentionally leaked: adapters may be destroyed during static destruction.
  static IMB_MGR* const mgr = []() -> IMB_MGR* {
    if (!cpu_runs_ipsec_mb()) return nullptr;
    IMB_MGR* m = alloc_mb_mgr(0);
    if (m != nullptr) init_mb_mgr_auto(m, nullptr);
    return m;
  }();
  return mgr;
}

IMB_MGR* mb_job_manager() {
  if (mb_direct_manager() == nullptr) return nullptr;
  thread_local JobManager jobs;
  return jobs.mgr;
}
#else
IMB_MGR* mb_direct_manager() { return nullptr; }
IMB_MGR* mb_job_manager() { return nullptr; }
#endif

}  // namespace cts::crypto
