// booklib: the one binary. `serve` (HTTP + in-process workers), `worker`, `queue stats|redrive`.
#include <boost/program_options.hpp>
#include <iostream>

#include "aws/aws_config.h"
#include "aws/aws_json_client.h"
#include "cli/config.h"
#include "cli/services.h"
#include "core/log.h"
#include "lambda/handlers.h"
#include "lambda/runtime.h"
#include "queue/sqs/sqs_setup.h"
#include "server/http_server.h"
#include "store/dynamodb/dynamo_tables.h"

namespace po = boost::program_options;
using namespace booklib;

namespace {

constexpr const char* kUsage = R"(booklib - a self-hostable personal book library

Usage: booklib <command> [options]

Commands:
  serve           HTTP server with the web app, plus metadata workers (default: SQLite in ./data,
                  http://127.0.0.1:8080)
  worker          metadata workers only, sharing the database (or SQS queue) with servers
  queue stats     depth, in-flight and dead-letter counts of the metadata queue
  queue redrive   move dead letters back to the metadata queue
  aws create-tables
                  create the DynamoDB tables (USERS_TABLE, ...) and the SQS queue + dead-letter
                  queue (--queue-name) for development, e.g. against local emulators
  lambda          AWS Lambda custom runtime loop (the packaged `bootstrap` runs it); BOOKLIB_MODE=api
                  serves API Gateway HTTP API events, BOOKLIB_MODE=worker handles SQS events

Run `booklib <command> --help` for the options of a command. Every option can also be set by
the environment variable named in its help.
)";

void SetLevel(const std::string& level) {
  SetLogLevel(level == "debug"   ? LogLevel::kDebug
              : level == "warn"  ? LogLevel::kWarn
              : level == "error" ? LogLevel::kError
                                 : LogLevel::kInfo);
}

int Die(const Error& error) {
  std::cerr << "booklib: " << error.message << "\n";
  return error.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

int Serve(const cli::Config& config) {
  auto secret = cli::ResolveSecretKey(config);
  if (!secret) return Die(secret.error());
  auto services = cli::BuildServices(config);
  if (!services) return Die(services.error());
  auto app = cli::BuildWebApp(**services, config, *secret);
  server::ServerOptions options;
  options.address = config.address;
  options.port = static_cast<unsigned short>(config.port);
  options.threads = config.threads;
  options.trust_forwarded_proto = config.trust_proxy;
  server::HttpServer server(options, [&app](const web::Request& request) { return app->Handle(request); });
  auto port = server.Start();
  if (!port) return Die(port.error());
  MetadataWorker worker(*(*services)->queue, *(*services)->sync, (*services)->clock,
                        WorkerOptions{.pollers = config.workers});
  if (config.workers > 0) worker.Start();
  Log(LogLevel::kInfo, "booklib serving",
      {{"url", "http://" + config.address + ":" + std::to_string(*port)},
       {"store", config.store},
       {"queue", config.queue},
       {"workers", std::to_string(config.workers)}});
  server.RunUntilSignalled();
  worker.Stop();
  Log(LogLevel::kInfo, "booklib stopped");
  return 0;
}

int Work(const cli::Config& config) {
  auto services = cli::BuildServices(config);
  if (!services) return Die(services.error());
  MetadataWorker worker(*(*services)->queue, *(*services)->sync, (*services)->clock,
                        WorkerOptions{.pollers = std::max(1, config.workers)});
  worker.Start();
  Log(LogLevel::kInfo, "booklib worker running", {{"pollers", std::to_string(std::max(1, config.workers))}});
  server::WaitForTerminationSignal();
  Log(LogLevel::kInfo, "booklib worker stopping: finishing the batches in hand");
  worker.Stop();
  return 0;
}

// The Lambda runtime: services are built once per container, in init, so that configuration
// errors (a bad setting in `loaded` too) reach /runtime/init/error; each invocation then reuses them.
int Lambda(const Result<cli::Config>& loaded) {
  auto runtime = lambda::RuntimeOptionsFromEnvironment();
  if (!runtime) return Die(runtime.error());
  std::unique_ptr<cli::Services> services;
  std::unique_ptr<web::App> app;
  const auto init = [&]() -> Result<lambda::InvocationHandler> {
    if (!loaded) return std::unexpected(loaded.error());
    const cli::Config& config = *loaded;
    auto built = cli::BuildServices(config);
    if (!built) return std::unexpected(built.error());
    services = std::move(*built);
    const char* mode_env = std::getenv("BOOKLIB_MODE");
    const std::string mode = mode_env ? mode_env : "api";
    if (mode == "worker") {
      return lambda::SqsHandler(lambda::MetadataMessageProcessor(*services->sync, *services->queue));
    }
    if (mode != "api")
      return Fail(ErrorCode::kInvalidArgument, "BOOKLIB_MODE must be api or worker, got " + mode);
    auto secret = cli::ResolveSecretKey(config);
    if (!secret) return std::unexpected(secret.error());
    app = cli::BuildWebApp(*services, config, *secret, /*covers=*/{}, lambda::RequestMetricsWriter());
    return lambda::ApiHandler([&app](const web::Request& request) { return app->Handle(request); });
  };
  return lambda::RunLambdaProcess(init, *runtime);
}

// Development setup of the AWS engines (tables, queue and its dead-letter queue); idempotent.
int CreateAwsResources(const cli::Config& config, const std::string& queue_name) {
  auto aws = aws::AwsConfigFromEnvironment();
  if (!aws) return Die(aws.error());
  aws::AwsJsonClient dynamodb(aws::DynamoDbService(*aws), aws->credentials, aws->region);
  const dynamodb::TableNames tables{config.users_table, config.books_table, config.user_books_table};
  if (auto created = dynamodb::CreateTables(dynamodb, tables); !created) return Die(created.error());
  std::cout << "tables ready: " << tables.users << ", " << tables.books << ", " << tables.user_books << "\n";
  aws::AwsJsonClient sqs(aws::SqsService(*aws), aws->credentials, aws->region);
  QueueSettings settings;
  settings.name = queue_name;
  settings.visibility_timeout = std::chrono::seconds{config.visibility_timeout};
  settings.max_receive_count = config.max_receives;
  auto queues = CreateQueues(sqs, settings);
  if (!queues) return Die(queues.error());
  std::cout << "METADATA_QUEUE_URL=" << queues->queue_url
            << "\ndead-letter queue: " << queues->dead_letter_queue_url << "\n";
  return 0;
}

int QueueCommand(const cli::Config& config, const std::string& action) {
  auto services = cli::BuildServices(config);
  if (!services) return Die(services.error());
  Queue& queue = *(*services)->queue;
  if (action == "stats") {
    auto stats = queue.Stats();
    if (!stats) return Die(stats.error());
    std::cout << "visible " << stats->visible << "\nin_flight " << stats->in_flight << "\ndead_letters "
              << stats->dead_letters << "\n";
    return 0;
  }
  if (action == "redrive") {
    auto moved = queue.Redrive();
    if (!moved) return Die(moved.error());
    std::cout << "moved " << *moved << " dead letter(s) back to the queue\n";
    return 0;
  }
  std::cerr << "booklib queue: expected `stats` or `redrive`\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  std::size_t first_option = 1;
  if (command == "aws") {
    if (args.size() < 2 || args[1] != "create-tables") {
      std::cerr << "booklib aws: expected `create-tables`\n";
      return 2;
    }
    command += " " + args[1];
    first_option = 2;
  }
  if (command == "queue") {
    if (args.size() < 2 || args[1].starts_with("-")) {
      std::cerr << "booklib queue: expected `stats` or `redrive`\n";
      return 2;
    }
    command += " " + args[1];
    first_option = 2;
  }
  const bool known = command == "serve" || command == "worker" || command == "queue stats" ||
                     command == "queue redrive" || command == "lambda" || command == "aws create-tables";
  if (!known) {
    std::cerr << "booklib: unknown command \"" << command << "\"\n\n" << kUsage;
    return 2;
  }
  po::options_description options("Options of `booklib " + command + "`");
  options.add_options()("help,h", "show this help");
  if (command == "aws create-tables")
    options.add_options()("queue-name", po::value<std::string>()->default_value("BookLibrary-Metadata-dev"),
                          "name of the SQS metadata queue to create (its DLQ is <name>-dlq)");
  cli::DescribeOptions(options);
  po::variables_map flags;
  try {
    const std::vector<std::string> rest(args.begin() + static_cast<long>(first_option), args.end());
    po::store(po::command_line_parser(rest).options(options).run(), flags);
    po::notify(flags);
  } catch (const po::error& e) {
    std::cerr << "booklib " << command << ": " << e.what() << "\n";
    return 2;
  }
  if (flags.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  auto config = cli::LoadConfig(flags);
  if (config) SetLevel(config->log_level);
  if (command == "lambda") return Lambda(config);  // even a bad setting goes to the Runtime API
  if (!config) return Die(config.error());
  if (command == "serve") return Serve(*config);
  if (command == "worker") return Work(*config);
  if (command == "aws create-tables")
    return CreateAwsResources(*config, flags["queue-name"].as<std::string>());
  return QueueCommand(*config, command.substr(6));
}
