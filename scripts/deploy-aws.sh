#!/usr/bin/env bash
# Deploys Booklib to AWS: packages the Lambda zip, uploads it to an artifacts bucket under a
# content-addressed key, and creates or updates the CloudFormation stack of deploy/aws/template.yaml.
#
# Usage: SECRET_KEY=... [GOOGLE_BOOKS_API_KEY=...] scripts/deploy-aws.sh --env ENV --artifact-bucket BUCKET [options]
#   --env ENV                 environment name in every resource name (dev, prod, ...)          (required)
#   --artifact-bucket BUCKET  existing S3 bucket for the Lambda zip (same region as the stack)    (required)
#   --region REGION           default: AWS_REGION / AWS_DEFAULT_REGION / the CLI's configured region
#   --stack-name NAME         default: booklib-ENV
#   --cors-origins LIST       comma-separated origins allowed by the API's CORS (default: the static site's
#                             website URL, http://book-library-static-ENV-ACCOUNT.s3-website-REGION.amazonaws.com)
#   --zip PATH                deploy this package instead of running scripts/package-lambda.sh
#   --alarm-email ADDRESS     subscribe ADDRESS to the alarm topic
#   --log-retention-days N    CloudWatch Logs retention (default 7)
#   --assets-from-bucket      pages load app.css/app.js from the static bucket (run deploy-static.sh too)
# SECRET_KEY is required on the first deploy (at least 32 characters, e.g. `openssl rand -hex 32`); later
# deploys keep the stack's current value when it is unset. GOOGLE_BOOKS_API_KEY likewise.
#
# Needs the AWS CLI with credentials allowed to use CloudFormation, S3, IAM (named role), Lambda,
# API Gateway, DynamoDB, SQS, SNS, CloudWatch and Logs. Not runnable in the development sandbox (no AWS).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/deploy_options.sh
source "$repo/scripts/lib/deploy_options.sh"
artifact_bucket=""
cors_origins=""
zip_path=""
overrides=()

parse_arguments() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --artifact-bucket) artifact_bucket="$2"; shift 2 ;;
      --cors-origins) cors_origins="$2"; shift 2 ;;
      --zip) zip_path="$(realpath "$2")"; shift 2 ;;
      --alarm-email) overrides+=("AlarmEmail=$2"); shift 2 ;;
      --log-retention-days) overrides+=("LogRetentionDays=$2"); shift 2 ;;
      --assets-from-bucket) overrides+=("AssetsFromBucket=true"); shift ;;
      *) take_deploy_option "$@"; shift "$taken" ;;
    esac
  done
  finish_deploy_options
  [[ -n "$artifact_bucket" ]] || die "--artifact-bucket is required"
}

aws_cli() { aws --region "$region" "$@"; }

stack_exists() {
  aws_cli cloudformation describe-stacks --stack-name "$stack_name" >/dev/null 2>&1
}

default_cors_origins() {
  local account
  account="$(aws_cli sts get-caller-identity --query Account --output text)"
  echo "http://book-library-static-$env_name-$account.s3-website-$region.amazonaws.com"
}

# Uploads the zip as booklib/ENV/booklib-lambda-SHA256.zip, so every new build is a new key and
# CloudFormation updates the functions' code; an unchanged build changes nothing.
upload_package() {
  local digest key
  digest="$(sha256sum "$zip_path" | cut -d' ' -f1)"
  key="booklib/$env_name/booklib-lambda-$digest.zip"
  aws_cli s3 cp --only-show-errors "$zip_path" "s3://$artifact_bucket/$key" >&2
  echo "$key"
}

secret_overrides() {
  if [[ -n "${SECRET_KEY:-}" ]]; then
    overrides+=("SecretKey=$SECRET_KEY")
  elif ! stack_exists; then
    die "SECRET_KEY must be set for the first deploy of $stack_name (openssl rand -hex 32)"
  fi
  if [[ -n "${GOOGLE_BOOKS_API_KEY:-}" ]]; then overrides+=("GoogleBooksApiKey=$GOOGLE_BOOKS_API_KEY"); fi
}

main() {
  parse_arguments "$@"
  command -v aws >/dev/null || die "the AWS CLI is not installed"
  if [[ -z "$zip_path" ]]; then
    "$repo/scripts/package-lambda.sh"
    zip_path="$repo/build/lambda/booklib-lambda.zip"
  fi
  [[ -f "$zip_path" ]] || die "no package at $zip_path"
  [[ -n "$cors_origins" ]] || cors_origins="$(default_cors_origins)"
  secret_overrides
  local key
  key="$(upload_package)"
  overrides+=("Env=$env_name" "ArtifactBucket=$artifact_bucket" "ArtifactKey=$key" "CorsAllowedOrigins=$cors_origins")
  echo "deploy-aws: deploying stack $stack_name in $region with s3://$artifact_bucket/$key"
  aws_cli cloudformation deploy \
    --template-file "$repo/deploy/aws/template.yaml" \
    --stack-name "$stack_name" \
    --capabilities CAPABILITY_NAMED_IAM \
    --no-fail-on-empty-changeset \
    --parameter-overrides "${overrides[@]}"
  aws_cli cloudformation describe-stacks --stack-name "$stack_name" \
    --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
}

main "$@"
