#!/usr/bin/env bash
# Runs scripts/deploy-aws.sh and scripts/deploy-static.sh against a fake `aws` command that records its
# arguments (there is no AWS here), and checks they call the AWS CLI as their usage text says.
#
# Usage: tests/lambda/deploy_scripts_test.sh
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/lambda/checks.sh
source "$repo/tests/lambda/checks.sh"

# The fake CLI: one line per call in $work/aws.log; a stack exists only if $work/stack-exists exists;
# `s3 sync SOURCE ...` also lists the files of SOURCE into $work/synced.txt.
install_fake_aws() {
  mkdir -p "$work/bin"
  cat >"$work/bin/aws" <<'FAKE'
#!/usr/bin/env bash
echo "$*" >>"$FAKE_AWS_DIR/aws.log"
args=" $* "
case "$args" in
  *" sts get-caller-identity "*) echo 111122223333 ;;
  *" describe-stacks "*"StaticBucketName"*) echo book-library-static-test-111122223333 ;;
  *" describe-stacks "*"ApiUrl"*) echo https://abc123.execute-api.eu-west-1.amazonaws.com ;;
  *" describe-stacks "*"StaticWebsiteUrl"*) echo http://book-library-static-test-111122223333.s3-website-eu-west-1.amazonaws.com ;;
  *" describe-stacks "*"--query"*) echo "ApiUrl https://abc123.execute-api.eu-west-1.amazonaws.com" ;;
  *" describe-stacks "*) [[ -e "$FAKE_AWS_DIR/stack-exists" ]] ;;
  *" s3 sync "*)
    for a in "$@"; do if [[ -d "$a" ]]; then (cd "$a" && find . -type f | sort) >>"$FAKE_AWS_DIR/synced.txt"; fi; done ;;
esac
FAKE
  chmod +x "$work/bin/aws"
}

run() {  # run SCRIPT ARGS... with the fake aws first on PATH; output in $work/out.txt
  PATH="$work/bin:$PATH" FAKE_AWS_DIR="$work" AWS_REGION=eu-west-1 "$@" >"$work/out.txt" 2>&1
}

logged() { grep -qF -- "$1" "$work/aws.log"; }

main() {
  install_fake_aws
  printf 'not really a zip' >"$work/package.zip"
  local digest
  digest="$(sha256sum "$work/package.zip" | cut -d' ' -f1)"

  check "a first deploy without SECRET_KEY is refused" \
    bash -c "! SECRET_KEY= PATH='$work/bin:$PATH' FAKE_AWS_DIR='$work' AWS_REGION=eu-west-1 \
      '$repo/scripts/deploy-aws.sh' --env test --artifact-bucket artifacts --zip '$work/package.zip' >/dev/null 2>&1"
  check "nothing is uploaded or deployed when refused" bash -c "! grep -qE 's3 cp|cloudformation deploy' '$work/aws.log'"

  : >"$work/aws.log"
  check "deploy-aws succeeds" run env SECRET_KEY=0123456789abcdef0123456789abcdef \
    "$repo/scripts/deploy-aws.sh" --env test --artifact-bucket artifacts --zip "$work/package.zip"
  check "the zip is uploaded under a content-addressed key" \
    logged "s3 cp --only-show-errors $work/package.zip s3://artifacts/booklib/test/booklib-lambda-$digest.zip"
  check "the template is deployed as stack booklib-test with a named-IAM capability" \
    logged "cloudformation deploy --template-file $repo/deploy/aws/template.yaml --stack-name booklib-test --capabilities CAPABILITY_NAMED_IAM"
  check "the stack gets Env, the artifact location and the secret" \
    logged "SecretKey=0123456789abcdef0123456789abcdef Env=test ArtifactBucket=artifacts ArtifactKey=booklib/test/booklib-lambda-$digest.zip"
  check "CORS defaults to the static site's website origin" \
    logged "CorsAllowedOrigins=http://book-library-static-test-111122223333.s3-website-eu-west-1.amazonaws.com"
  check "every call goes to the chosen region" bash -c "! grep -v -- '--region eu-west-1' '$work/aws.log'"

  touch "$work/stack-exists"
  : >"$work/aws.log"
  check "a later deploy without SECRET_KEY keeps the stack's secret" run env SECRET_KEY= \
    "$repo/scripts/deploy-aws.sh" --env test --artifact-bucket artifacts --zip "$work/package.zip" --cors-origins https://books.example.org
  check "the later deploy passes no SecretKey" bash -c "! grep -q SecretKey '$work/aws.log'"
  check "explicit CORS origins are passed through" logged "CorsAllowedOrigins=https://books.example.org"

  : >"$work/aws.log"
  check "deploy-static succeeds" run "$repo/scripts/deploy-static.sh" --env test
  check "assets and pages are synced to the stack's bucket" logged "s3://book-library-static-test-111122223333"
  check "the app's assets are published under static/" grep -qx './static/app.css' "$work/synced.txt"
  css_hash="$(sha256sum "$repo/src/web/static/app.css" | cut -c1-10)"
  check "each asset is published under its content-hashed name too" grep -qx "./static/app.$css_hash.css" "$work/synced.txt"
  check "the API reference's Swagger UI files from the build are published" grep -qx './static/swagger-ui-bundle.js' "$work/synced.txt"
  check "index.html and error.html are published" bash -c "grep -qx './index.html' '$work/synced.txt' && grep -qx './error.html' '$work/synced.txt'"

  if [[ "$failed" -gt 0 ]]; then echo "--- aws calls"; cat "$work/aws.log"; echo "--- last output"; cat "$work/out.txt"; fi
  report_checks
}

main
