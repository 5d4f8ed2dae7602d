// The master key and the sealed secret store: secrets round-trip, a blob never contains its
// plaintext, and a wrong key, a corrupted blob or a blob moved to another name fail cleanly.
// Key files and environment variables report each mistake with its own error.
#include <stdlib.h>
#include <unistd.h>
#include <cctype>

#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/credentials/master_key.h"
#include "runtime/credentials/secrets.h"

namespace writ::runtime::credentials {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kHexKey =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

MasterKey NewKey() { return *MasterKey::Generate(); }

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("writ_credentials_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Write(std::string_view contents) {
    const std::filesystem::path path = dir_ / "master.key";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << contents;
    return path;
  }

  std::filesystem::path dir_;
};

TEST_F(KeyFileTest, ReadsHexWithWhitespaceAndRawBytes) {
  absl::StatusOr<MasterKey> hex = MasterKey::FromFile(Write("  " + std::string(kHexKey) + "\n"));
  ASSERT_TRUE(hex.ok()) << hex.status();
  EXPECT_EQ(hex->ToHex(), kHexKey);
  std::string upper(kHexKey);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(MasterKey::FromFile(Write(upper))->ToHex(), kHexKey);

  std::string raw;
  for (int i = 0; i < 32; ++i) raw.push_back(static_cast<char>(i));
  absl::StatusOr<MasterKey> from_raw = MasterKey::FromFile(Write(raw));
  ASSERT_TRUE(from_raw.ok()) << from_raw.status();
  EXPECT_EQ(from_raw->ToHex(), kHexKey);
}

TEST_F(KeyFileTest, ReportsEachMistake) {
  absl::Status missing = MasterKey::FromFile(dir_ / "absent.key").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("does not exist"));

  for (std::string_view wrong : {std::string_view(""), kHexKey.substr(2), std::string_view("\n\n")}) {
    absl::Status status = MasterKey::FromFile(Write(wrong)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("expected 64 hex digits or 32 raw bytes"));
  }
  absl::Status too_long = MasterKey::FromFile(Write(std::string(10'000, 'a'))).status();
  EXPECT_EQ(too_long.code(), absl::StatusCode::kInvalidArgument);

  std::string bad_hex(kHexKey);
  bad_hex[10] = 'g';
  absl::Status not_hex = MasterKey::FromFile(Write(bad_hex)).status();
  EXPECT_EQ(not_hex.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_hex.message(), HasSubstr("offset 10 is not a hex digit"));
  // Whitespace inside the digits is not "surrounding".
  std::string split(kHexKey);
  split[31] = ' ';
  EXPECT_FALSE(MasterKey::FromFile(Write(split)).ok());
}

TEST(MasterKeyTest, ReadsTheEnvironment) {
  ::unsetenv("WRIT_TEST_MASTER_KEY");
  absl::Status unset = MasterKey::FromEnv("WRIT_TEST_MASTER_KEY").status();
  EXPECT_EQ(unset.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unset.message(), HasSubstr("WRIT_TEST_MASTER_KEY is not set"));

  ::setenv("WRIT_TEST_MASTER_KEY", (std::string(kHexKey) + "\n").c_str(), 1);
  absl::StatusOr<MasterKey> key = MasterKey::FromEnv("WRIT_TEST_MASTER_KEY");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->ToHex(), kHexKey);

  for (const char* wrong : {"", "abcd", "0123456789abcdef0123456789abcdef"}) {
    ::setenv("WRIT_TEST_MASTER_KEY", wrong, 1);
    EXPECT_EQ(MasterKey::FromEnv("WRIT_TEST_MASTER_KEY").status().code(),
              absl::StatusCode::kInvalidArgument)
        << wrong;
  }
  ::unsetenv("WRIT_TEST_MASTER_KEY");
}

TEST(MasterKeyTest, MovingLeavesZerosBehind) {
  MasterKey a = NewKey();
  const std::string hex = a.ToHex();
  MasterKey b = std::move(a);
  EXPECT_EQ(b.ToHex(), hex);
  EXPECT_EQ(a.ToHex(), std::string(64, '0'));  // NOLINT(bugprone-use-after-move)
  EXPECT_NE(NewKey().ToHex(), hex);
}

TEST(SecretsTest, RoundTrip) {
  const MasterKey key = NewKey();
  for (std::string_view plaintext :
       {std::string_view(""), std::string_view("sk-live-1234"), std::string_view("\0x\0", 3)}) {
    absl::StatusOr<std::string> blob = SealSecret(key, "erp", plaintext);
    ASSERT_TRUE(blob.ok()) << blob.status();
    absl::StatusOr<std::string> opened = OpenSecret(key, "erp", *blob);
    ASSERT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(*opened, plaintext);
  }
  const std::string big(kMaxSecretBytes, 's');
  EXPECT_EQ(*OpenSecret(key, "big", *SealSecret(key, "big", big)), big);
  EXPECT_FALSE(SealSecret(key, "big", big + "s").ok());
  EXPECT_FALSE(SealSecret(key, "", "x").ok());
  EXPECT_FALSE(SealSecret(key, std::string(kMaxSecretNameBytes + 1, 'n'), "x").ok());
}

TEST(SecretsTest, BlobsDoNotContainThePlaintextOrRepeat) {
  const MasterKey key = NewKey();
  const std::string plaintext = "ERP-API-KEY-0123456789abcdef";
  const std::string a = *SealSecret(key, "erp", plaintext);
  const std::string b = *SealSecret(key, "erp", plaintext);
  EXPECT_EQ(a.find(plaintext), std::string::npos);
  EXPECT_EQ(a.find(plaintext.substr(0, 8)), std::string::npos);
  EXPECT_EQ(a.find(key.ToHex()), std::string::npos);
  EXPECT_NE(a, b);  // a fresh nonce each time
  EXPECT_EQ(a.size(), 1 + 24 + 16 + 1 + 1 + 3 + plaintext.size());
  EXPECT_EQ(a[0], '\x01');
}

TEST(SecretsTest, WrongKeyAndCorruptionFailCleanly) {
  const MasterKey key = NewKey();
  const std::string blob = *SealSecret(key, "erp", "secret");
  absl::Status wrong = OpenSecret(NewKey(), "erp", blob).status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(wrong.message(), HasSubstr("wrong master key or corrupted secret"));
  for (size_t i = 1; i < blob.size(); ++i) {
    std::string corrupted = blob;
    corrupted[i] ^= 0x40;
    EXPECT_EQ(OpenSecret(key, "erp", corrupted).status().code(),
              absl::StatusCode::kUnauthenticated)
        << i;
  }
  std::string other_version = blob;
  other_version[0] = '\x02';
  EXPECT_EQ(OpenSecret(key, "erp", other_version).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(OpenSecret(key, "erp", blob.substr(0, 30)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(OpenSecret(key, "erp", blob + "x").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(SecretsTest, ABlobMovedToAnotherNameFails) {
  const MasterKey key = NewKey();
  const std::string blob = *SealSecret(key, "erp", "secret");
  absl::Status moved = OpenSecret(key, "bank", blob).status();
  EXPECT_EQ(moved.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(moved.message(), HasSubstr("sealed for another secret"));

  MemorySecretTable table;
  SecretVault vault(NewKey(), table);
  ASSERT_TRUE(vault.Put("erp", "erp-key").ok());
  ASSERT_TRUE(vault.Put("bank", "bank-key").ok());
  ASSERT_TRUE(table.PutSealed("bank", **table.GetSealed("erp")).ok());
  EXPECT_EQ(vault.Get("bank").status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(SecretsTest, VaultStoresOnlyCiphertext) {
  MemorySecretTable table;
  SecretVault vault(NewKey(), table);
  EXPECT_EQ(vault.Get("erp").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(vault.Put("erp", "first").ok());
  ASSERT_TRUE(vault.Put("erp", "second").ok());
  EXPECT_EQ(*vault.Get("erp"), "second");
  EXPECT_EQ((*table.GetSealed("erp"))->find("second"), std::string::npos);
  SecretVault other(NewKey(), table);
  EXPECT_THAT(other.Get("erp").status().message(), HasSubstr("wrong master key"));
}

}  // namespace
}  // namespace writ::runtime::credentials
