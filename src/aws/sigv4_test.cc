// SigV4 against every case of the AWS test suite copied into testdata/sigv4, plus the options.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace booklib::aws {
namespace {

const Credentials kSuiteCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const std::string kSuiteToken =
    "AQoDYXdzEPT//////////"
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7"
    "mSEI/qkPpKPi/"
    "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+"
    "xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

// 2015-08-30T12:36:00Z, the suite's signing time.
std::chrono::system_clock::time_point SuiteTime() {
  return std::chrono::system_clock::from_time_t(1440938160);
}

SigningOptions SuiteOptions() {
  SigningOptions options;
  options.region = "us-east-1";
  options.service = "service";
  options.time = SuiteTime();
  return options;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test vector " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string CaseFile(const std::string& name, const std::string& extension) {
  return ReadFile(std::string(BOOKLIB_SIGV4_TESTDATA) + "/" + name + "/" + name + extension);
}

// Parses a suite .req: "METHOD target HTTP/1.1", "Name:value" lines, a blank line, the body.
RequestToSign ParseSuiteRequest(const std::string& text) {
  RequestToSign request;
  const std::size_t head_end = text.find("\n\n");
  const std::string head = text.substr(0, head_end);
  if (head_end != std::string::npos) request.body = text.substr(head_end + 2);

  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  const std::size_t method_end = line.find(' ');
  request.method = line.substr(0, method_end);
  const std::string target = line.substr(method_end + 1, line.rfind(" HTTP/") - method_end - 1);
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) request.query = target.substr(question + 1);
  while (std::getline(lines, line)) {
    const std::size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return request;
}

// Writes a signed request the way the suite's .sreq files do.
std::string SerializeLikeSuite(const RequestToSign& request, const std::string& request_line) {
  std::string out = request_line;
  for (const auto& [name, value] : request.headers) {
    out += "\n" + name + (name == "Authorization" ? ": " : ":") + value;
  }
  if (!request.body.empty()) out += "\n\n" + request.body;
  return out;
}

struct SuiteCase {
  std::string name;
  bool session_token = false;  // sign with kSuiteToken
  bool sign_session_token = true;
};

class SigV4SuiteTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, CanonicalRequestMatchesTheSuite) {
  const RequestToSign request = ParseSuiteRequest(CaseFile(GetParam().name, ".req"));
  EXPECT_EQ(CanonicalRequest(request), CaseFile(GetParam().name, ".creq"));
}

TEST_P(SigV4SuiteTest, StringToSignMatchesTheSuite) {
  const RequestToSign request = ParseSuiteRequest(CaseFile(GetParam().name, ".req"));
  const std::string scope = CredentialScope("20150830", "us-east-1", "service");
  EXPECT_EQ(StringToSign("20150830T123600Z", scope, CanonicalRequest(request)),
            CaseFile(GetParam().name, ".sts"));
}

TEST_P(SigV4SuiteTest, AuthorizationHeaderAndSignedRequestMatchTheSuite) {
  const std::string raw = CaseFile(GetParam().name, ".req");
  RequestToSign request = ParseSuiteRequest(raw);
  Credentials credentials = kSuiteCredentials;
  if (GetParam().session_token) credentials.session_token = kSuiteToken;
  SigningOptions options = SuiteOptions();
  options.sign_session_token = GetParam().sign_session_token;

  EXPECT_EQ(Sign(request, credentials, options), CaseFile(GetParam().name, ".authz"));
  EXPECT_EQ(SerializeLikeSuite(request, raw.substr(0, raw.find('\n'))), CaseFile(GetParam().name, ".sreq"));
}

INSTANTIATE_TEST_SUITE_P(
    AwsTestSuite, SigV4SuiteTest,
    testing::Values(
        SuiteCase{"get-header-key-duplicate"}, SuiteCase{"get-header-value-trim"}, SuiteCase{"get-utf8"},
        SuiteCase{"get-vanilla"}, SuiteCase{"get-vanilla-empty-query-key"}, SuiteCase{"get-vanilla-query"},
        SuiteCase{"get-vanilla-query-order-key-case"}, SuiteCase{"get-vanilla-query-unreserved"},
        SuiteCase{"get-vanilla-utf8-query"}, SuiteCase{"post-header-key-case"}, SuiteCase{"post-vanilla"},
        SuiteCase{"post-x-www-form-urlencoded"}, SuiteCase{"post-x-www-form-urlencoded-parameters"},
        SuiteCase{"post-sts-header-before", true, true}, SuiteCase{"post-sts-header-after", true, false},
        SuiteCase{"get-space"}, SuiteCase{"get-slash-dot-slash"}, SuiteCase{"get-relative-relative"},
        SuiteCase{"get-slashes"}),
    [](const testing::TestParamInfo<SuiteCase>& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(SigV4Test, AmzDateIsTheBasicIsoFormatInUtc) { EXPECT_EQ(AmzDate(SuiteTime()), "20150830T123600Z"); }

TEST(SigV4Test, AnAlreadyEncodedPathSignsLikeTheRawOne) {
  RequestToSign raw = ParseSuiteRequest(CaseFile("get-space", ".req"));
  RequestToSign encoded = raw;
  encoded.path = "/example%20space/";
  EXPECT_EQ(CanonicalRequest(encoded), CanonicalRequest(raw));
}

TEST(SigV4Test, S3StylePathsKeepRepeatedSlashesAndDots) {
  RequestToSign request = ParseSuiteRequest(CaseFile("get-slashes", ".req"));
  EXPECT_EQ(CanonicalRequest(request, PathStyle::kAsIs).substr(0, 15), "GET\n//example//");
}

TEST(SigV4Test, ContentShaHeaderIsAddedAndSigned) {
  RequestToSign request = ParseSuiteRequest(CaseFile("post-vanilla", ".req"));
  SigningOptions options = SuiteOptions();
  options.add_content_sha256 = true;
  const std::string authorization = Sign(request, kSuiteCredentials, options);
  EXPECT_NE(authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"), std::string::npos);
  const auto header = std::find_if(request.headers.begin(), request.headers.end(),
                                   [](const auto& h) { return h.first == "x-amz-content-sha256"; });
  ASSERT_NE(header, request.headers.end());
  EXPECT_EQ(header->second, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4Test, SigningTwiceReplacesTheDateAndAuthorizationInsteadOfRepeatingThem) {
  RequestToSign request = ParseSuiteRequest(CaseFile("get-vanilla", ".req"));
  Sign(request, kSuiteCredentials, SuiteOptions());
  const std::string second = Sign(request, kSuiteCredentials, SuiteOptions());
  EXPECT_EQ(second, CaseFile("get-vanilla", ".authz"));
  EXPECT_EQ(request.headers.size(), 3u);  // Host, X-Amz-Date, Authorization
}

}  // namespace
}  // namespace booklib::aws
