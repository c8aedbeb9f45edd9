#include "runner/vectors/pcap_reader.h"

#include <pcap/pcap.h>

#include <sys/types.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "runner/vectors/mapped_capture.h"

namespace cts::vectors {

namespace {
constexpr size_t kReadBuffer = size_t{1} << 20;

// LINKTYPE values that libpcap maps to DLTs of the same number on every platform.
constexpr int kLinktypeIpv4 = 228;
constexpr int kLinktypeIpv6 = 229;

bool link_type_from_dlt(int dlt, LinkType& out) {
  switch (dlt) {
    case DLT_EN10MB: out = LinkType::kEthernet; return true;
    case DLT_RAW: out = LinkType::kRawIp; return true;
#if defined(DLT_IPV4)
    case DLT_IPV4: out = LinkType::kIpv4; return true;
#else
    case kLinktypeIpv4: out = LinkType::kIpv4; return true;
#endif
#if defined(DLT_IPV6)
    case DLT_IPV6: out = LinkType::kIpv6; return true;
#else
    case kLinktypeIpv6: out = LinkType::kIpv6; return true;
#endif
    case DLT_LINUX_SLL: out = LinkType::kLinuxSll; return true;
    default: return false;
  }
}
}  // namespace

const char* link_type_name(LinkType type) {
  switch (type) {
    case LinkType::kEthernet: return "ethernet";
    case LinkType::kRawIp: return "raw";
    case LinkType::kIpv4: return "ipv4";
    case LinkType::kIpv6: return "ipv6";
    case LinkType::kLinuxSll: return "linux-sll";
  }
  return "unknown";
}

// Classic pcap files are also mapped and walked in place (mapped_capture.h); libpcap opens every
// file, judges its header, and takes over at the first record the walk declines.
struct PcapReader::Handle {
  pcap_t* pcap = nullptr;
  std::unique_ptr<MappedCapture> mapped;
  bool walking = true;  // the mapping hands out records; after hand_over() libpcap does

  ~Handle() {
    mapped.reset();
    if (pcap != nullptr) pcap_close(pcap);
  }

  // The walk declined the record at its offset: libpcap reads on from there.
  void hand_over() {
    // A seek on a regular file we could map does not fail; were it to, libpcap would report
    // what it then reads, naming the record index all the same.
    (void)::fseeko(pcap_file(pcap), static_cast<off_t>(mapped->offset()), SEEK_SET);
    // The mapping itself stays until the reader goes: records handed out stable still point
    // into it.
    walking = false;
  }
};

std::unique_ptr<PcapReader> PcapReader::open(const std::string& path, std::string& error) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  // Our own stream with a 1 MiB buffer. Classic pcap files are read through the guarded mapping
  // (mapped_capture.h); glibc's mapped stdio ("rbm") is not used, as a file shortened under it
  // would end the process with SIGBUS inside fread.
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (fp == nullptr) {
    error = path + ": cannot read capture: " + std::strerror(errno);
    return nullptr;
  }
  std::setvbuf(fp, nullptr, _IOFBF, kReadBuffer);
  pcap_t* p = pcap_fopen_offline(fp, errbuf);  // on success pcap_close() closes fp
  if (p == nullptr) {
    std::fclose(fp);  // libpcap leaves the stream open when it refuses it
    error = path + ": cannot read capture: " + errbuf;
    return nullptr;
  }
  const int dlt = pcap_datalink(p);
  LinkType type{};
  if (!link_type_from_dlt(dlt, type)) {
    const char* name = pcap_datalink_val_to_name(dlt);
    error = path + ": link type " + std::to_string(dlt) + " (" + (name ? name : "unknown") +
            ") not accepted; expected Ethernet (EN10MB), raw IP (RAW, IPV4, IPV6) or LINUX_SLL";
    pcap_close(p);
    return nullptr;
  }
  std::unique_ptr<PcapReader> reader(new PcapReader());
  reader->handle_ = new Handle{};
  reader->handle_->pcap = p;
  reader->handle_->mapped = MappedCapture::open(::fileno(fp), static_cast<uint32_t>(pcap_snapshot(p)));
  reader->path_ = path;
  reader->link_type_ = type;
  reader->dlt_ = dlt;
  return reader;
}

bool PcapReader::intact() const { return !(handle_->mapped && handle_->mapped->shrunk()); }

void PcapReader::keep_behind(size_t bytes) {
  if (handle_->mapped) handle_->mapped->keep_behind(bytes);
}

std::string PcapReader::shrunk_error() const {
  // The record before may have been read partly as zeros: it is named too.
  return path_ + ": packet " + std::to_string(next_index_ > 0 ? next_index_ - 1 : 0) +
         ": the capture was shortened by another process while it was being read";
}

PcapReader::~PcapReader() {
  delete handle_;
}

ReadStatus PcapReader::next(PcapRecord& out) {
  if (final_ != ReadStatus::kRecord) {
    out.index = next_index_;
    return final_;
  }
  if (handle_->mapped && handle_->walking) {
    PcapRecordView view;
    if (handle_->mapped->next(view)) {
      out.index = next_index_++;
      out.ts_sec = view.ts_sec;
      out.ts_usec = view.ts_usec;
      out.original_length = view.original_length;
      out.data = view.data;
      out.stable = true;
      return ReadStatus::kRecord;
    }
    if (handle_->mapped->shrunk()) {
      out.index = next_index_;
      error_ = shrunk_error();
      final_ = ReadStatus::kError;
      return final_;
    }
    handle_->hand_over();
  }
  struct pcap_pkthdr* header = nullptr;
  const u_char* bytes = nullptr;
  const int rc = pcap_next_ex(handle_->pcap, &header, &bytes);
  out.index = next_index_;
  if (rc == 1) {
    out.ts_sec = static_cast<int64_t>(header->ts.tv_sec);
    out.ts_usec = static_cast<int64_t>(header->ts.tv_usec);
    out.original_length = header->len;
    out.data = std::span<const uint8_t>(bytes, header->caplen);
    out.stable = false;
    ++next_index_;
    return ReadStatus::kRecord;
  }
  if (rc == PCAP_ERROR_BREAK) {  // end of a savefile
    final_ = ReadStatus::kEnd;
    return final_;
  }
  // libpcap words its message for the record it failed on ("truncated dump file; tried to read
  // 16 header bytes, only got 5"); the index tells the reader which one.
  error_ = path_ + ": packet " + std::to_string(next_index_) + ": " + pcap_geterr(handle_->pcap);
  final_ = ReadStatus::kError;
  return final_;
}

}  // namespace cts::vectors
