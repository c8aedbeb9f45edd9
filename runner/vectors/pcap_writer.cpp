#include "runner/vectors/pcap_writer.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cts::vectors {

struct PcapWriter::Handle {
  pcap_t* pcap = nullptr;
  pcap_dumper_t* dumper = nullptr;
};

namespace {
int dlt_for(LinkType link) {
  switch (link) {
    case LinkType::kEthernet: return DLT_EN10MB;
    case LinkType::kRawIp: return DLT_RAW;
    case LinkType::kIpv4: return 228;  // LINKTYPE_IPV4
    case LinkType::kIpv6: return 229;  // LINKTYPE_IPV6
    case LinkType::kLinuxSll: return -1;
  }
  return -1;
}
}  // namespace

std::unique_ptr<PcapWriter> PcapWriter::create(const std::string& path, LinkType link,
                                               std::string& error, uint32_t snaplen) {
  const int dlt = dlt_for(link);
  if (dlt < 0) {
    error = path + ": cannot write link type " + link_type_name(link);
    return nullptr;
  }
  pcap_t* p = pcap_open_dead_with_tstamp_precision(dlt, static_cast<int>(snaplen),
                                                   PCAP_TSTAMP_PRECISION_MICRO);
  if (p == nullptr) {
    error = path + ": pcap_open_dead failed";
    return nullptr;
  }
  pcap_dumper_t* d = pcap_dump_open(p, path.c_str());
  if (d == nullptr) {
    error = path + ": cannot create capture: " + pcap_geterr(p);
    pcap_close(p);
    return nullptr;
  }
  std::unique_ptr<PcapWriter> w(new PcapWriter());
  w->handle_ = new Handle{p, d};
  w->path_ = path;
  w->snaplen_ = snaplen;
  return w;
}

PcapWriter::~PcapWriter() {
  std::string ignored;
  close(ignored);
}

bool PcapWriter::write(std::span<const uint8_t> frame, int64_t ts_sec, int64_t ts_usec,
                       std::string& error) {
  if (handle_ == nullptr || handle_->dumper == nullptr) {
    error = path_ + ": write after close";
    return false;
  }
  if (frame.size() > snaplen_) {
    error = path_ + ": record " + std::to_string(written_) + " of " + std::to_string(frame.size()) +
            " octets exceeds the snap length " + std::to_string(snaplen_);
    return false;
  }
  struct pcap_pkthdr h {};
  h.ts.tv_sec = static_cast<decltype(h.ts.tv_sec)>(ts_sec);
  h.ts.tv_usec = static_cast<decltype(h.ts.tv_usec)>(ts_usec);
  h.caplen = static_cast<bpf_u_int32>(frame.size());
  h.len = static_cast<bpf_u_int32>(frame.size());
  pcap_dump(reinterpret_cast<u_char*>(handle_->dumper), &h, frame.data());
  if (std::ferror(pcap_dump_file(handle_->dumper)) != 0) {
    error = path_ + ": write failed at record " + std::to_string(written_);
    return false;
  }
  ++written_;
  return true;
}

bool PcapWriter::close(std::string& error) {
  if (handle_ == nullptr) return true;
  bool ok = true;
  if (handle_->dumper != nullptr) {
    if (pcap_dump_flush(handle_->dumper) != 0 || std::ferror(pcap_dump_file(handle_->dumper)) != 0) {
      error = path_ + ": flush failed: " + std::strerror(errno);
      ok = false;
    }
    pcap_dump_close(handle_->dumper);
  }
  if (handle_->pcap != nullptr) pcap_close(handle_->pcap);
  delete handle_;
  handle_ = nullptr;
  return ok;
}

}  // namespace cts::vectors
