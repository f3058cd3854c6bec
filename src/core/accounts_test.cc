// Account rules with a clock the test controls: sessions expire, throttled logins wait, owners get in.
#include "core/accounts.h"

#include <gtest/gtest.h>

#include "tests/support/manual_clock.h"
#include "tests/support/memory_store.h"

namespace booklib {
namespace {

class AccountsTest : public testing::Test {
 protected:
  void SetUp() override {
    accounts_ = std::make_unique<Accounts>(
        store_, clock_, AccountPolicy{.password_iterations = 1000, .session_seconds = 3600});
    ASSERT_TRUE(accounts_->Register({"ada", "Ada@Example.com", "long-enough-pw", "long-enough-pw"}));
  }

  test::ManualClock clock_;
  test::MemoryStore store_;
  std::unique_ptr<Accounts> accounts_;
};

constexpr std::string_view kAdaHome = "198.51.100.1";
constexpr std::string_view kAttacker = "203.0.113.66";

TEST_F(AccountsTest, EmailsAreMatchedWithoutCaseOrSpaces) {
  EXPECT_TRUE(accounts_->Login(" ada@EXAMPLE.com ", "long-enough-pw", kAdaHome));
}

TEST_F(AccountsTest, ASessionEndsWhenItExpires) {
  auto session = accounts_->Login("ada@example.com", "long-enough-pw", kAdaHome);
  ASSERT_TRUE(session);
  EXPECT_TRUE(accounts_->UserForSession(session->id));
  clock_.Advance(std::chrono::seconds{3601});
  EXPECT_EQ(accounts_->UserForSession(session->id).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, AnAttackersFailuresNeverLockTheOwnerOutFromAnotherAddress) {
  // The finding: five wrong passwords for her email from anywhere refused her correct one for 15
  // minutes, renewable forever. Now the attacker's address waits, and she logs in from hers.
  for (int i = 0; i < 50; ++i) {
    (void)accounts_->Login("ada@example.com", "guess-" + std::to_string(i), kAttacker);
    clock_.Advance(std::chrono::seconds{1});
  }
  const auto attacker = accounts_->Login("ada@example.com", "long-enough-pw", kAttacker);
  ASSERT_FALSE(attacker);
  EXPECT_EQ(attacker.error().code, ErrorCode::kTooManyRequests);
  EXPECT_GE(attacker.error().retry_after_seconds, 1);
  EXPECT_TRUE(accounts_->Login("ada@example.com", "long-enough-pw", kAdaHome));
}

TEST_F(AccountsTest, ThrottledLoginsSayWhenToTryAgain) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(accounts_->Login("ada@example.com", "wrong", kAttacker).error().code,
              ErrorCode::kUnauthenticated);
  const auto refused = accounts_->Login("ada@example.com", "long-enough-pw", kAttacker);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
  EXPECT_NE(refused.error().message.find("1 second"), std::string::npos) << refused.error().message;
  clock_.Advance(std::chrono::seconds{1});
  EXPECT_TRUE(accounts_->Login("ada@example.com", "long-enough-pw", kAttacker));
}

TEST_F(AccountsTest, AnAccountUnderADistributedAttackSlowsOnlyAddressesThatFailed) {
  // Ten bots, one guess each: none is throttled by address, but the account now slows them.
  for (int bot = 0; bot < 10; ++bot)
    (void)accounts_->Login("ada@example.com", "guess", "203.0.113." + std::to_string(bot));
  const auto second_guess = accounts_->Login("ada@example.com", "guess-2", "203.0.113.0");
  ASSERT_FALSE(second_guess);
  EXPECT_EQ(second_guess.error().code, ErrorCode::kTooManyRequests);
  EXPECT_NE(second_guess.error().message.find("this account"), std::string::npos);
  // An address with no failures is always heard: a wrong password is just wrong...
  EXPECT_EQ(accounts_->Login("ada@example.com", "guess", "203.0.113.200").error().code,
            ErrorCode::kUnauthenticated);
  // ...and the owner's right one logs her in, which also ends the account's slow-down.
  EXPECT_TRUE(accounts_->Login("ada@example.com", "long-enough-pw", kAdaHome));
  EXPECT_EQ(accounts_->Login("ada@example.com", "guess-3", "203.0.113.1").error().code,
            ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, CommonPasswordsFromTheTopTenThousandAreRefused) {
  for (const char* common : {"passw0rd", "qwerty123", "Password1", "iloveyou", "letmein1", "trustno1"}) {
    const auto refused = accounts_->Register({"bob", "bob@example.com", common, common});
    ASSERT_FALSE(refused) << common;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.error().message.find("too easy to guess"), std::string::npos);
  }
  EXPECT_TRUE(accounts_->Register({"bob", "bob@example.com", "violet kettle 42", "violet kettle 42"}));
}

TEST_F(AccountsTest, SessionsAreStoredUnderAHashOfTheirIdSoACopyOfTheStoreLogsNobodyIn) {
  auto session = accounts_->Login("ada@example.com", "long-enough-pw", kAdaHome);
  ASSERT_TRUE(session);
  EXPECT_EQ(store_.FindSession(session->id).error().code, ErrorCode::kNotFound);
  const std::string stored_id = StoredSessionId(session->id);
  EXPECT_EQ(stored_id.size(), 64u);
  auto stored = store_.FindSession(stored_id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->user_id, session->user_id);
  EXPECT_EQ(accounts_->UserForSession(stored_id).error().code, ErrorCode::kUnauthenticated);
  EXPECT_TRUE(accounts_->UserForSession(session->id));
  ASSERT_TRUE(accounts_->Logout(session->id));
  EXPECT_EQ(store_.FindSession(stored_id).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace booklib
