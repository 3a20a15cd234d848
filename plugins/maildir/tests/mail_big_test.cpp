// A 200 MB attachment: parsed from disk, decoded while streamed, memory
// flat. The one big-data test of the mail library.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <fstream>

#include "mail_helpers.hpp"
#include "messages.hpp"

namespace sseccoe::mailtest {
namespace {

constexpr std::uint64_t kAttachment = 200ull << 20;

// Writes the message straight to disk; returns the attachment's SHA-256.
std::string write_big_message(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  for (const auto& h : basic_headers()) out << h << "\n";
  out << "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"big\"\n\n--big\n"
         "Content-Type: text/plain\n\nadjunto grande\n--big\nContent-Type: application/pdf\n"
         "Content-Disposition: attachment; filename=\"grande.pdf\"\nContent-Transfer-Encoding: base64\n\n";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::string block(57 * 1024, '\0');
  std::uint64_t seed = 0x9e3779b97f4a7c15ull;
  for (std::uint64_t done = 0; done < kAttachment;) {
    for (std::size_t i = 0; i < block.size(); i += 8) {  // xorshift: incompressible, nothing dedupes
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      for (std::size_t k = 0; k < 8 && i + k < block.size(); ++k) block[i + k] = static_cast<char>(seed >> (8 * k));
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), kAttachment - done));
    EVP_DigestUpdate(ctx, block.data(), n);
    out << base64_lines(block.substr(0, n));
    done += n;
  }
  out << "--big--\n";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  static const char* h = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    hex += h[md[i] >> 4];
    hex += h[md[i] & 15];
  }
  return hex;
}

TEST(BigMessage, TwoHundredMegabyteAttachmentStreamsWithFlatMemory) {
  TempDir d;
  const std::string source = d / "grande.eml";
  const std::string expected = write_big_message(source);

  const bool measured = reset_peak_rss();
  const std::uint64_t before = peak_rss();
  sdk::mail::Spool spool(d.path());
  {
    std::ifstream in(source, std::ios::binary);
    spool.write_all(in);
  }
  spool.finish();
  const auto items = sdk::mail::message_items(spool, inbox(), options_with_defaults(sdk::mail::shared_options()));
  ASSERT_EQ(items.size(), 1u);
  FakeEmitter out;
  out.keep_data = false;
  out.emit(items[0]);
  const Emitted& e = out.emitted.back();
  ASSERT_EQ(e.outcome, sdk::EmitOutcome::New) << e.reason;
  ASSERT_EQ(e.contents.size(), 2u);
  EXPECT_EQ(e.contents[0].size, spool.size());
  EXPECT_EQ(e.contents[1].name, "grande.pdf");
  EXPECT_EQ(e.contents[1].size, kAttachment);
  EXPECT_EQ(e.contents[1].digest, expected);
  const std::uint64_t growth = peak_rss() - before;
  std::printf("spooled %llu bytes; peak RSS grew by %.1f MiB (measured: %s)\n",
              static_cast<unsigned long long>(spool.size()), static_cast<double>(growth) / (1 << 20),
              measured ? "yes" : "no");
  if (measured) {
    EXPECT_LT(growth, 48ull << 20) << "memory must not grow with the message";
  }
}

}  // namespace
}  // namespace sseccoe::mailtest
