// Account rules with a clock the test controls: sessions expire, failed-login lockouts end.
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

TEST_F(AccountsTest, EmailsAreMatchedWithoutCaseOrSpaces) {
  EXPECT_TRUE(accounts_->Login(" ada@EXAMPLE.com ", "long-enough-pw"));
}

TEST_F(AccountsTest, ASessionEndsWhenItExpires) {
  auto session = accounts_->Login("ada@example.com", "long-enough-pw");
  ASSERT_TRUE(session);
  EXPECT_TRUE(accounts_->UserForSession(session->id));
  clock_.Advance(std::chrono::seconds{3601});
  EXPECT_EQ(accounts_->UserForSession(session->id).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsTest, FiveFailedLoginsLockTheEmailUntilTheWindowEnds) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(accounts_->Login("ada@example.com", "wrong").error().code, ErrorCode::kUnauthenticated);
  const auto locked = accounts_->Login("ada@example.com", "long-enough-pw");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_NE(locked.error().message.find("15 minutes"), std::string::npos) << locked.error().message;
  clock_.Advance(std::chrono::minutes{15});
  EXPECT_TRUE(accounts_->Login("ada@example.com", "long-enough-pw"));
}

TEST_F(AccountsTest, ASuccessfulLoginClearsEarlierFailures) {
  for (int i = 0; i < 4; ++i) (void)accounts_->Login("ada@example.com", "wrong");
  EXPECT_TRUE(accounts_->Login("ada@example.com", "long-enough-pw"));
  for (int i = 0; i < 4; ++i) (void)accounts_->Login("ada@example.com", "wrong");
  EXPECT_TRUE(accounts_->Login("ada@example.com", "long-enough-pw"));
}

}  // namespace
}  // namespace booklib
