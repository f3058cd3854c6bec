// Base fixture of the end-to-end tests on the DynamoDB and SQS emulators (scripts/emulators.sh):
// skips without them; otherwise creates this test's own tables and queue with
// `booklib aws create-tables` and says how to point booklib processes at them.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "tests/process/booklib_process.h"

namespace booklib::test {

// The tables and queue one test created, with unique names so tests never share data.
struct AwsResources {
  std::string users_table;
  std::string books_table;
  std::string user_books_table;
  std::string queue_name;
  std::string queue_url;  // METADATA_QUEUE_URL as `booklib aws create-tables` printed it
};

class EmulatorTest : public testing::Test {
 protected:
  static constexpr std::chrono::milliseconds kProcessStart{20000};  // generous: 2 loaded cores

  void SetUp() override {
    for (const char* name : {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS"}) {
      const char* value = std::getenv(name);
      if (value == nullptr || *value == '\0')
        GTEST_SKIP() << name
                     << " is not set: start the emulators with eval \"$(scripts/emulators.sh start)\"";
    }
    const std::string suffix = crypto::RandomHex(4);
    dir_ = std::filesystem::temp_directory_path() / ("booklib-aws-e2e-" + suffix);
    std::filesystem::create_directories(dir_);
    resources_.users_table = "e2e-" + suffix + "-Users";
    resources_.books_table = "e2e-" + suffix + "-Books";
    resources_.user_books_table = "e2e-" + suffix + "-UserBooks";
    resources_.queue_name = "e2e-" + suffix + "-Metadata";
    BooklibProcess create(
        {BOOKLIB_BINARY, "aws", "create-tables", "--users-table=" + resources_.users_table,
         "--books-table=" + resources_.books_table, "--user-books-table=" + resources_.user_books_table,
         "--queue-name=" + resources_.queue_name},
        OutputPath("create-tables"));
    ASSERT_TRUE(create.Started());
    const auto exit_code = create.WaitForExit(std::chrono::seconds{30});
    ASSERT_EQ(exit_code, 0) << create.Output();
    static const std::regex kQueueUrl("METADATA_QUEUE_URL=(\\S+)");
    std::smatch match;
    const std::string output = create.Output();
    ASSERT_TRUE(std::regex_search(output, match, kQueueUrl)) << output;
    resources_.queue_url = match[1];
  }

  void TearDown() override {
    std::error_code ignored;
    if (!HasFailure() && !dir_.empty()) std::filesystem::remove_all(dir_, ignored);  // kept for a post-mortem
  }

  std::string OutputPath(const std::string& name) const { return (dir_ / (name + ".log")).string(); }

  // Flags that put a `serve`, `worker` or `queue` process on this test's tables and queue.
  std::vector<std::string> AwsFlags(const std::string& data_dir_name) const {
    return {"--store=dynamodb",
            "--queue=sqs",
            "--users-table=" + resources_.users_table,
            "--books-table=" + resources_.books_table,
            "--user-books-table=" + resources_.user_books_table,
            "--metadata-queue-url=" + resources_.queue_url,
            "--secret-key=" + kSecretKey,
            "--password-iterations=1000",  // new accounts hash fast; the default is 600000
            "--data-dir=" + (dir_ / data_dir_name).string()};
  }

  // The same settings as environment variables, the way the Lambda functions get them.
  BooklibProcess::Environment AwsEnvironment() const {
    return {{"BOOKLIB_STORE", "dynamodb"},
            {"BOOKLIB_QUEUE", "sqs"},
            {"USERS_TABLE", resources_.users_table},
            {"BOOKS_TABLE", resources_.books_table},
            {"USER_BOOKS_TABLE", resources_.user_books_table},
            {"METADATA_QUEUE_URL", resources_.queue_url},
            {"SECRET_KEY", kSecretKey},
            {"BOOKLIB_PASSWORD_ITERATIONS", "1000"},
            {"BOOKLIB_DATA_DIR", (dir_ / "lambda").string()}};
  }

  const std::string kSecretKey = std::string(48, 's');
  std::filesystem::path dir_;
  AwsResources resources_;
};

}  // namespace booklib::test
