// Personal API tokens on the in-memory store and a clock the test moves: what may be made, what a
// secret looks like, and which secrets open a library.
#include "core/api_tokens.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "crypto/crypto.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_store.h"

namespace booklib {
namespace {

class ApiTokensTest : public testing::Test {
 protected:
  void SetUp() override {
    ada_ =
        User{crypto::RandomUuid(), "ada", "ada@example.com", "pbkdf2:sha256:1$s$00", "2026-01-01T00:00:00Z"};
    ASSERT_TRUE(store_.CreateUser(ada_));
  }

  NewApiToken MakeToken(std::string_view name = "laptop", std::string_view scope = "read") {
    auto made = tokens_.Create(ada_.id, name, scope);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made.value_or(NewApiToken{});
  }

  // The message of a refused Create, or "" when it was not refused as invalid.
  std::string Refusal(std::string_view name, std::string_view scope = "read") {
    auto made = tokens_.Create(ada_.id, name, scope);
    if (made || made.error().code != ErrorCode::kInvalidArgument) return "";
    return made.error().message;
  }

  std::string StoredLastUse(const NewApiToken& made) {
    return store_.FindApiTokenByHash(made.token.secret_hash).value_or(ApiToken{}).last_used_at;
  }

  test::ManualClock clock_;
  test::MemoryStore store_;
  ApiTokens tokens_{store_, clock_};
  User ada_;
};

TEST_F(ApiTokensTest, ASecretIsThePrefixAnd43Base64UrlCharactersAndOnlyItsHashIsStored) {
  const NewApiToken made = MakeToken();
  ASSERT_EQ(made.secret.size(), 47U);
  EXPECT_TRUE(made.secret.starts_with("bkl_"));
  EXPECT_TRUE(std::ranges::all_of(made.secret.substr(4), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  }));
  const auto stored = store_.FindApiTokenByHash(crypto::Sha256Hex(made.secret));
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, made.token);
  EXPECT_EQ(stored->user_id, ada_.id);
  EXPECT_EQ(stored->created_at, "2026-01-01T00:00:00Z");
  EXPECT_EQ(stored->last_used_at, "");
  EXPECT_NE(MakeToken().secret, made.secret);
}

TEST_F(ApiTokensTest, NamesAreTrimmedAndScopesParsed) {
  const NewApiToken made = MakeToken("  deploy script \t", "read-write");
  EXPECT_EQ(made.token.name, "deploy script");
  EXPECT_EQ(made.token.scope, TokenScope::kReadWrite);
  EXPECT_EQ(MakeToken(std::string(100, 'n')).token.name.size(), 100U) << "100 bytes is allowed";
}

TEST_F(ApiTokensTest, EachRefusedNameOrScopeSaysWhy) {
  EXPECT_EQ(Refusal(""), "Name your token");
  EXPECT_EQ(Refusal(" \t "), "Name your token");
  EXPECT_EQ(Refusal(std::string(101, 'n')), "A token's name must be at most 100 bytes long");
  EXPECT_EQ(Refusal("tab\tinside"), "A token's name may not contain control characters");
  EXPECT_EQ(Refusal("bell\a"), "A token's name may not contain control characters");
  EXPECT_EQ(Refusal("c1 \xC2\x85 next line"), "A token's name may not contain control characters");
  EXPECT_EQ(Refusal("broken \xFF utf-8"), "A token's name may not contain control characters");
  EXPECT_EQ(Refusal("laptop", "admin"), "Scope must be read or read-write");
  EXPECT_EQ(Refusal("laptop", ""), "Scope must be read or read-write");
  EXPECT_TRUE(store_.ListApiTokens(ada_.id)->empty()) << "nothing refused was stored";
}

TEST_F(ApiTokensTest, AUserMayHave25TokensAndMustRevokeOneForAnother) {
  std::vector<NewApiToken> made;
  for (int i = 0; i < kMaxApiTokensPerUser; ++i) made.push_back(MakeToken("token " + std::to_string(i)));
  EXPECT_EQ(Refusal("one too many"), "You have 25 tokens; revoke one first");
  ASSERT_TRUE(tokens_.Revoke(ada_.id, made.front().token.id));
  EXPECT_TRUE(tokens_.Create(ada_.id, "replacement", "read"));
  EXPECT_EQ(tokens_.List(ada_.id)->size(), 25U);
}

TEST_F(ApiTokensTest, ListingShowsTheUsersTokensOldestFirstWithoutTheirHashes) {
  const NewApiToken first = MakeToken("first");
  clock_.Advance(std::chrono::hours{1});
  const NewApiToken second = MakeToken("second");
  const auto listed = tokens_.List(ada_.id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ((*listed)[0].id, first.token.id);
  EXPECT_EQ((*listed)[1].id, second.token.id);
  EXPECT_EQ((*listed)[1].created_at, "2026-01-01T01:00:00Z");
  for (const ApiToken& token : *listed) EXPECT_EQ(token.secret_hash, "");
}

TEST_F(ApiTokensTest, ASecretSpeaksForItsUserWithItsScope) {
  const NewApiToken made = MakeToken("cli", "read-write");
  const auto grant = tokens_.Authenticate(made.secret);
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->user.id, ada_.id);
  EXPECT_EQ(grant->user.username, "ada");
  EXPECT_EQ(grant->token.id, made.token.id);
  EXPECT_EQ(grant->token.scope, TokenScope::kReadWrite);
}

TEST_F(ApiTokensTest, UseIsRecordedAtMostOnceAMinute) {
  const NewApiToken made = MakeToken();
  ASSERT_TRUE(tokens_.Authenticate(made.secret));
  EXPECT_EQ(StoredLastUse(made), "2026-01-01T00:00:00Z");
  clock_.Advance(std::chrono::seconds{59});
  const auto within_the_minute = tokens_.Authenticate(made.secret);
  ASSERT_TRUE(within_the_minute);
  EXPECT_EQ(within_the_minute->token.last_used_at, "2026-01-01T00:00:00Z");
  EXPECT_EQ(StoredLastUse(made), "2026-01-01T00:00:00Z") << "no write within the minute";
  clock_.Advance(std::chrono::seconds{1});
  const auto a_minute_later = tokens_.Authenticate(made.secret);
  ASSERT_TRUE(a_minute_later);
  EXPECT_EQ(a_minute_later->token.last_used_at, "2026-01-01T00:01:00Z");
  EXPECT_EQ(StoredLastUse(made), "2026-01-01T00:01:00Z");
}

TEST_F(ApiTokensTest, ARevokedSecretNoLongerAuthenticates) {
  const NewApiToken made = MakeToken();
  ASSERT_TRUE(tokens_.Authenticate(made.secret));
  ASSERT_TRUE(tokens_.Revoke(ada_.id, made.token.id));
  const auto refused = tokens_.Authenticate(made.secret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().message, "Invalid or revoked token");
}

TEST_F(ApiTokensTest, AMadeUpOrMalformedSecretIsRefused) {
  const NewApiToken made = MakeToken();
  std::string altered = made.secret;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& secret : {std::string("bkl_") + std::string(43, 'A'), altered, std::string(),
                                    std::string("Bearer ") + made.secret, made.secret + "=",
                                    "BKL_" + made.secret.substr(4), made.secret.substr(0, 46)}) {
    const auto refused = tokens_.Authenticate(secret);
    ASSERT_FALSE(refused) << secret;
    EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated) << secret;
    EXPECT_EQ(refused.error().message, "Invalid or revoked token") << secret;
  }
}

TEST_F(ApiTokensTest, AMalformedSecretIsRefusedWithoutLookingItsHashUp) {
  // A token stored under the hash of a secret Create could never make: only a lookup would find it.
  for (const std::string& secret : {std::string("bkl_short"), "bkl_" + std::string(42, 'A') + "!"}) {
    ApiToken planted{crypto::RandomUuid(),   ada_.id, "planted", TokenScope::kRead, crypto::Sha256Hex(secret),
                     "2026-01-01T00:00:00Z", ""};
    ASSERT_TRUE(store_.CreateApiToken(planted));
    EXPECT_EQ(tokens_.Authenticate(secret).error().code, ErrorCode::kUnauthenticated) << secret;
    EXPECT_EQ(StoredLastUse(NewApiToken{planted, secret}), "") << "never touched: " << secret;
  }
}

TEST_F(ApiTokensTest, ASecretWhoseUserIsGoneIsRefused) {
  // The memory store keeps no referential checks, so a token can outlive (here: precede) its user.
  const std::string secret = "bkl_" + std::string(43, 'g');
  ASSERT_TRUE(
      store_.CreateApiToken(ApiToken{crypto::RandomUuid(), "no-such-user", "orphan", TokenScope::kRead,
                                     crypto::Sha256Hex(secret), "2026-01-01T00:00:00Z", ""}));
  const auto refused = tokens_.Authenticate(secret);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(refused.error().message, "Invalid or revoked token");
}

TEST_F(ApiTokensTest, RevokingAnUnknownOrAnotherUsersTokenIsNoSuchToken) {
  const NewApiToken made = MakeToken();
  const auto unknown = tokens_.Revoke(ada_.id, "no-such-token");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().message, "No such token");
  const auto someone_else = tokens_.Revoke(crypto::RandomUuid(), made.token.id);
  ASSERT_FALSE(someone_else);
  EXPECT_EQ(someone_else.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(someone_else.error().message, "No such token");
  EXPECT_TRUE(tokens_.Authenticate(made.secret)) << "still live";
}

}  // namespace
}  // namespace booklib
