// The object cache's files: what was stored is loaded back; a damaged file (truncated, a byte
// changed, stored under another key, not ours at all) is a miss and counted, never trusted.
#include "compiler/jit/object_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace writ::jit {
namespace {

namespace fs = std::filesystem;

class ObjectCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "writ_object_cache_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  void Write(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  fs::path dir_;
};

TEST_F(ObjectCacheTest, StoresAndLoads) {
  ObjectCache cache((dir_ / "made" / "here").string());  // created on the first store
  EXPECT_EQ(cache.Load("k1"), std::nullopt);
  cache.Store("k1", std::string("\x7f" "ELF object\0bytes", 17));
  EXPECT_EQ(cache.Load("k1"), std::string("\x7f" "ELF object\0bytes", 17));
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(cache.stats().misses, 1u);
  EXPECT_EQ(cache.stats().writes, 1u);
  EXPECT_EQ(cache.stats().corrupt, 0u);
  // Only the object is left: the temporary file was renamed over it.
  EXPECT_EQ(std::distance(fs::directory_iterator(cache.dir()), fs::directory_iterator()), 1);
}

TEST_F(ObjectCacheTest, DamagedFilesAreMissesAndAreReplaced) {
  ObjectCache cache(dir_.string());
  const std::string object(5000, 'o');
  cache.Store("k", object);
  const std::string path = cache.PathOf("k");
  const std::string good = Read(path);

  std::string flipped = good;
  flipped[flipped.size() - 10] ^= 1;
  for (const std::string& bad : {good.substr(0, good.size() - 1), good.substr(0, 20),
                                 std::string(), flipped, std::string("not a cache file")}) {
    Write(path, bad);
    EXPECT_EQ(cache.Load("k"), std::nullopt) << bad.size();
  }
  EXPECT_EQ(cache.stats().corrupt, 5u);
  // A good file stored under another key is not this key's object.
  Write(cache.PathOf("other"), good);
  EXPECT_EQ(cache.Load("other"), std::nullopt);
  EXPECT_EQ(cache.stats().corrupt, 6u);

  cache.Store("k", object);
  EXPECT_EQ(cache.Load("k"), object);
}

TEST_F(ObjectCacheTest, AnUnwritableFolderIsCountedNotFatal) {
  ObjectCache cache((dir_ / "file" / "below").string());
  Write((dir_ / "file").string(), "a file where the folder would be");
  cache.Store("k", "object");
  EXPECT_EQ(cache.stats().write_failures, 1u);
  EXPECT_EQ(cache.Load("k"), std::nullopt);
}

TEST(Sha256Test, KnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace writ::jit
