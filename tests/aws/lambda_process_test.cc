// `booklib lambda` for real: the binary's worker and API functions served through a fake Lambda
// Runtime API, on this test's DynamoDB tables and SQS queue in the emulators.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/services.h"
#include "core/metadata_message.h"
#include "tests/aws/emulator_fixture.h"
#include "tests/aws/fake_runtime_api.h"
#include "tests/http/provider_fixtures.h"
#include "tests/support/fake_http_server.h"
#include "text/codec.h"

namespace booklib::test {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kInvocationTimeout{60000};
constexpr const char* kFoundIsbn = "9781782276340";
constexpr const char* kFailingIsbn = "9780316030571";

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// An SQS event as the event source mapping delivers it, one record per received message.
std::string SqsEvent(const std::vector<QueueMessage>& messages, const std::string& queue_name) {
  json records = json::array();
  for (const QueueMessage& message : messages) {
    records.push_back({{"messageId", message.id},
                       {"receiptHandle", message.receipt_handle},
                       {"body", message.body},
                       {"attributes",
                        {{"ApproximateReceiveCount", std::to_string(message.receive_count)},
                         {"SentTimestamp", "1795602900100"},
                         {"SenderId", "AROAEXAMPLEROLE:booklib-e2e-api"},
                         {"ApproximateFirstReceiveTimestamp", "1795602900120"}}},
                       {"messageAttributes", json::object()},
                       {"md5OfBody", "00000000000000000000000000000000"},
                       {"eventSource", "aws:sqs"},
                       {"eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:" + queue_name},
                       {"awsRegion", "us-east-1"}});
  }
  return json{{"Records", records}}.dump();
}

// Speaks to the API function in API Gateway HTTP API (payload 2.0) events, keeping cookies and
// the CSRF token of the last page like a browser.
class ApiGatewayClient {
 public:
  explicit ApiGatewayClient(FakeRuntimeApi& runtime) : runtime_(runtime) {}

  json Get(const std::string& path) { return Send("GET", path, ""); }
  // A urlencoded form with the CSRF token added, sent base64-encoded as API Gateway does.
  json PostForm(const std::string& path, web::FormFields fields) {
    fields["csrf_token"] = csrf_;
    std::string body;
    for (const auto& [name, value] : fields)
      body += (body.empty() ? "" : "&") + text::PercentEncode(name, true) + "=" +
              text::PercentEncode(value, true);
    return Send("POST", path, body);
  }

  const std::map<std::string, std::string>& cookies() const { return cookies_; }

 private:
  json Send(const std::string& method, const std::string& path, const std::string& form_body) {
    json headers = {{"host", "abc123.execute-api.us-east-1.amazonaws.com"}, {"user-agent", "booklib-e2e"}};
    json event = {{"version", "2.0"},
                  {"routeKey", "$default"},
                  {"rawPath", path},
                  {"rawQueryString", ""},
                  {"requestContext",
                   {{"accountId", "000000000000"},
                    {"apiId", "abc123"},
                    {"domainName", "abc123.execute-api.us-east-1.amazonaws.com"},
                    {"http",
                     {{"method", method},
                      {"path", path},
                      {"protocol", "HTTP/1.1"},
                      {"sourceIp", "198.51.100.23"},
                      {"userAgent", "booklib-e2e"}}},
                    {"requestId", "e2e-" + std::to_string(++sent_)},
                    {"routeKey", "$default"},
                    {"stage", "$default"}}},
                  {"isBase64Encoded", false}};
    if (!cookies_.empty()) {
      json cookies = json::array();
      for (const auto& [name, value] : cookies_) cookies.push_back(name + "=" + value);
      event["cookies"] = cookies;
    }
    if (method == "POST") {
      headers["content-type"] = "application/x-www-form-urlencoded";
      event["body"] = text::Base64Encode(form_body);
      event["isBase64Encoded"] = true;
    }
    event["headers"] = headers;
    const auto answer = runtime_.Invoke(event.dump(), kInvocationTimeout);
    if (!answer || answer->is_error) {
      ADD_FAILURE() << method << " " << path << ": "
                    << (answer ? "function error " + answer->body : std::string("no answer"));
      return json::object();
    }
    json response = json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
    if (!response.is_object()) {
      ADD_FAILURE() << "not a JSON object: " << answer->body;
      return json::object();
    }
    Remember(response);
    return response;
  }

  void Remember(const json& response) {
    for (const json& cookie : response.value("cookies", json::array())) {
      const std::string set = cookie.get<std::string>();
      const auto eq = set.find('=');
      const auto semi = set.find(';');
      const std::string name = set.substr(0, eq);
      const std::string value =
          set.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
      if (value.empty() || Contains(set, "Max-Age=0"))
        cookies_.erase(name);
      else
        cookies_[name] = value;
    }
    static const std::regex kMeta(R"re(<meta name="csrf-token" content="([0-9a-f]+)">)re");
    const std::string body = response.value("body", "");
    std::smatch match;
    if (std::regex_search(body, match, kMeta)) csrf_ = match[1];
  }

  FakeRuntimeApi& runtime_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
  int sent_ = 0;
};

class LambdaProcessTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The test's own view of the same tables and queue, to set up entries and check outcomes.
    cli::Config config;
    config.store = "dynamodb";
    config.queue = "sqs";
    config.users_table = resources_.users_table;
    config.books_table = resources_.books_table;
    config.user_books_table = resources_.user_books_table;
    config.metadata_queue_url = resources_.queue_url;
    config.password_iterations = 1000;
    config.data_dir = (dir_ / "in-process").string();
    auto services = cli::BuildServices(config);
    ASSERT_TRUE(services) << services.error().message;
    services_ = std::move(*services);
  }

  void TearDown() override {
    function_.reset();
    EmulatorTest::TearDown();
  }

  void StartFunction(const std::string& mode) {
    BooklibProcess::Environment environment = AwsEnvironment();
    environment["BOOKLIB_MODE"] = mode;
    environment["AWS_LAMBDA_RUNTIME_API"] = runtime_.Address();
    environment["BOOKLIB_GOOGLE_BOOKS_URL"] = provider_.BaseUrl() + "/books/v1";
    environment["BOOKLIB_OPEN_LIBRARY_URL"] = provider_.BaseUrl();
    environment["BOOKLIB_RETRY_BACKOFF"] = "0";  // a failed lookup's message is visible again at once
    environment["BOOKLIB_METADATA_TIMEOUT_MS"] = "10000";
    function_ = std::make_unique<BooklibProcess>(std::vector<std::string>{BOOKLIB_BINARY, "lambda"},
                                                 OutputPath("lambda-" + mode), environment);
    ASSERT_TRUE(function_->Started());
  }

  // Ends the runtime loop the way Lambda does when it tears the sandbox down; the process exits.
  void ExpectTheFunctionExitsWhenTheRuntimeCloses() {
    runtime_.Close();
    const auto exit_code = function_->WaitForExit(seconds{15});
    ASSERT_TRUE(exit_code.has_value()) << "still running after the Runtime API closed\n"
                                       << function_->Output();
    EXPECT_TRUE(Contains(function_->Output(), "lambda runtime loop ended")) << function_->Output();
    EXPECT_FALSE(runtime_.InitError().has_value()) << *runtime_.InitError();
  }

  // Receives until `count` messages are in hand (as the SQS event source mapping would).
  std::vector<QueueMessage> ReceiveMessages(std::size_t count) {
    std::vector<QueueMessage> received;
    WaitUntil(
        [&] {
          auto batch = services_->queue->Receive(10, seconds{1});
          if (batch) received.insert(received.end(), batch->begin(), batch->end());
          return received.size() >= count;
        },
        milliseconds{20000});
    return received;
  }

  std::string AddPendingBook(const std::string& user_id, const std::string& isbn) {
    BookForm form;
    form.isbn = isbn;
    auto entry = services_->library->AddBook(user_id, form);
    EXPECT_TRUE(entry) << entry.error().message;
    if (!entry) return "";
    EXPECT_EQ(entry->user_book.sync_status, SyncStatus::kPending);
    return entry->user_book.id;
  }

  SyncStatus StatusOf(const std::string& user_book_id) {
    auto entry = services_->store->FindUserBook(user_book_id);
    EXPECT_TRUE(entry) << entry.error().message;
    return entry ? entry->sync_status : SyncStatus::kFailed;
  }

  FakeHttpServer provider_;
  FakeRuntimeApi runtime_;
  std::unique_ptr<cli::Services> services_;
  std::unique_ptr<BooklibProcess> function_;
};

TEST_F(LambdaProcessTest, WorkerFunctionSyncsARecordAndReportsExactlyTheRecordWhoseLookupGot503) {
  provider_.Handle("/books/v1/volumes", [](const FakeRequest& request) {
    if (Contains(request.query, kFoundIsbn))
      return FakeResponse::Json(GoogleVolume(kFoundIsbn, "Harbour Lights"));
    return FakeResponse::Status(503);
  });
  provider_.Respond("/api/books", FakeResponse::Status(503));
  auto user = services_->accounts->Register({"fay", "fay@example.com", "long-enough-pw", "long-enough-pw"});
  ASSERT_TRUE(user) << user.error().message;
  const std::string found_id = AddPendingBook(user->id, kFoundIsbn);
  const std::string failing_id = AddPendingBook(user->id, kFailingIsbn);
  std::vector<QueueMessage> messages = ReceiveMessages(2);
  ASSERT_EQ(messages.size(), 2u);
  // The record whose lookup succeeds first, then the one that gets 503.
  if (messages[0].body != EncodeMetadataMessage(found_id)) std::swap(messages[0], messages[1]);
  ASSERT_EQ(messages[0].body, EncodeMetadataMessage(found_id));
  ASSERT_EQ(messages[1].body, EncodeMetadataMessage(failing_id));

  StartFunction("worker");
  const auto answer = runtime_.Invoke(SqsEvent(messages, resources_.queue_name), kInvocationTimeout);

  ASSERT_TRUE(answer.has_value()) << function_->Output();
  ASSERT_FALSE(answer->is_error) << answer->body;
  EXPECT_EQ(json::parse(answer->body),
            json::parse(R"({"batchItemFailures":[{"itemIdentifier":")" + messages[1].id + R"("}]})"))
      << function_->Output();
  EXPECT_EQ(StatusOf(found_id), SyncStatus::kSynced);
  EXPECT_EQ(services_->store->FindBookByIsbn(kFoundIsbn)->details.title, "Harbour Lights: A Novel");
  EXPECT_EQ(StatusOf(failing_id), SyncStatus::kPending);

  // The failed message was made visible again (retry backoff 0) through its real receipt handle,
  // long before the queue's 300 s visibility timeout: SQS redelivers it, and once the provider
  // answers, the second attempt syncs it with no failures left.
  const std::vector<QueueMessage> redelivered = ReceiveMessages(1);
  ASSERT_EQ(redelivered.size(), 1u) << function_->Output();
  EXPECT_EQ(redelivered[0].body, EncodeMetadataMessage(failing_id));
  EXPECT_EQ(redelivered[0].receive_count, 2);
  provider_.Handle("/books/v1/volumes", [](const FakeRequest&) {
    return FakeResponse::Json(GoogleVolume(kFailingIsbn, "Second Wind"));
  });
  const auto retried = runtime_.Invoke(SqsEvent(redelivered, resources_.queue_name), kInvocationTimeout);
  ASSERT_TRUE(retried.has_value()) << function_->Output();
  EXPECT_EQ(json::parse(retried->body), json::parse(R"({"batchItemFailures":[]})"));
  EXPECT_EQ(StatusOf(failing_id), SyncStatus::kSynced);

  ExpectTheFunctionExitsWhenTheRuntimeCloses();
}

TEST_F(LambdaProcessTest, ApiFunctionAnswersHealthAndLogsInWithABase64FormBody) {
  StartFunction("api");
  ApiGatewayClient client(runtime_);

  const json health = client.Get("/health");
  EXPECT_EQ(health.value("statusCode", 0), 200) << health.dump() << function_->Output();
  EXPECT_EQ(json::parse(health.value("body", "{}")).value("status", ""), "healthy") << health.dump();

  EXPECT_EQ(client.Get("/register").value("statusCode", 0), 200);
  const json registered = client.PostForm("/register", {{"username", "gus"},
                                                        {"email", "gus@example.com"},
                                                        {"password", "long-enough-pw"},
                                                        {"confirm_password", "long-enough-pw"}});
  ASSERT_EQ(registered.value("statusCode", 0), 303) << registered.dump() << function_->Output();
  EXPECT_TRUE(services_->store->FindUserByEmail("gus@example.com").has_value());  // written to DynamoDB

  EXPECT_EQ(client.Get("/login").value("statusCode", 0), 200);
  const json refused =
      client.PostForm("/login", {{"email", "gus@example.com"}, {"password", "not-his-password"}});
  EXPECT_EQ(refused.value("statusCode", 0), 401) << refused.dump();
  EXPECT_FALSE(client.cookies().contains("booklib_session"));

  const json logged_in =
      client.PostForm("/login", {{"email", "gus@example.com"}, {"password", "long-enough-pw"}});
  ASSERT_EQ(logged_in.value("statusCode", 0), 303) << logged_in.dump() << function_->Output();
  EXPECT_EQ(logged_in["headers"].value("Location", ""), "/books") << logged_in.dump();
  std::string session_cookie;
  for (const json& cookie : logged_in.value("cookies", json::array()))
    if (cookie.get<std::string>().starts_with("booklib_session=")) session_cookie = cookie;
  ASSERT_FALSE(session_cookie.empty()) << logged_in.dump();
  EXPECT_TRUE(Contains(session_cookie, "HttpOnly")) << session_cookie;
  EXPECT_TRUE(Contains(session_cookie, "Secure")) << session_cookie;  // API Gateway is HTTPS only

  const json books = client.Get("/books");
  EXPECT_EQ(books.value("statusCode", 0), 200) << books.dump();
  EXPECT_TRUE(Contains(books.value("body", ""), "Log out gus"));

  // A book added through the API function is a PENDING entry with its message on the SQS queue,
  // where the worker function's event source mapping picks it up.
  const json added = client.PostForm("/add_book", {{"isbn", kFoundIsbn}});
  ASSERT_EQ(added.value("statusCode", 0), 303) << added.dump() << function_->Output();
  const auto user = services_->store->FindUserByEmail("gus@example.com");
  ASSERT_TRUE(user.has_value());
  const auto library = services_->store->ListLibrary(user->id);
  ASSERT_TRUE(library.has_value());
  ASSERT_EQ(library->size(), 1u);
  EXPECT_EQ(library->front().user_book.sync_status, SyncStatus::kPending);
  const std::vector<QueueMessage> queued = ReceiveMessages(1);
  ASSERT_EQ(queued.size(), 1u);
  const auto message = DecodeMetadataMessage(queued[0].body);
  ASSERT_TRUE(message) << queued[0].body;
  EXPECT_EQ(message->user_book_id, library->front().user_book.id);
  EXPECT_TRUE(message->request_id.starts_with("e2e-")) << queued[0].body;  // API Gateway's requestId
  // Each request left a CloudWatch Embedded Metric Format line on stdout, by route pattern.
  bool add_book_counted = false;
  std::istringstream lines(function_->Output());
  for (std::string line; std::getline(lines, line);) {
    const json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || !record.contains("_aws")) continue;
    EXPECT_EQ(record["_aws"]["CloudWatchMetrics"][0]["Namespace"], "Booklib") << line;
    if (record.value("Route", "") == "/add_book" && record.value("Status", "") == "303")
      add_book_counted = true;
  }
  EXPECT_TRUE(add_book_counted) << function_->Output();

  ExpectTheFunctionExitsWhenTheRuntimeCloses();
}

TEST_F(LambdaProcessTest, AMisconfiguredFunctionReportsWhyToInitErrorAndExitsWithoutTakingEvents) {
  const std::vector<std::pair<BooklibProcess::Environment, std::string>> cases = {
      {{{"BOOKLIB_MODE", "wroker"}}, "BOOKLIB_MODE must be api or worker, got wroker"},
      {{{"BOOKLIB_MODE", "worker"}, {"METADATA_QUEUE_URL", ""}}, "--queue=sqs needs METADATA_QUEUE_URL"},
  };
  for (const auto& [settings, reason] : cases) {
    FakeRuntimeApi runtime;
    BooklibProcess::Environment environment = AwsEnvironment();
    environment["AWS_LAMBDA_RUNTIME_API"] = runtime.Address();
    for (const auto& [name, value] : settings) environment[name] = value;
    BooklibProcess function({BOOKLIB_BINARY, "lambda"}, OutputPath("lambda-misconfigured"), environment);

    const auto exit_code = function.WaitForExit(seconds{15});

    ASSERT_TRUE(exit_code.has_value()) << reason << "\n" << function.Output();
    EXPECT_NE(*exit_code, 0);
    const auto posted = runtime.InitError();
    ASSERT_TRUE(posted.has_value()) << reason << ": nothing posted to /runtime/init/error\n"
                                    << function.Output();
    EXPECT_EQ(json::parse(*posted).value("errorMessage", ""), reason) << *posted;
    EXPECT_EQ(json::parse(*posted).value("errorType", ""), "Booklib.invalid_argument") << *posted;
    EXPECT_EQ(runtime.NextRequests(), 0);
  }
}

}  // namespace
}  // namespace booklib::test
