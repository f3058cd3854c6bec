#!/usr/bin/env bash
# Publishes Booklib's static site to the stack's static bucket (book-library-static-ENV-ACCOUNT):
# the app's assets under static/ (app.css, app.js, favicon.svg, and the API reference's Swagger UI
# files from a build), plus index.html and error.html.
# Pages of the app itself are rendered by the API function; index.html sends visitors there.
#
# Usage: scripts/deploy-static.sh --env ENV [--region REGION] [--stack-name NAME] [--source DIR] [--dry-run]
#   --env ENV        the environment deployed by scripts/deploy-aws.sh                           (required)
#   --stack-name     default: booklib-ENV (bucket and API URL are read from its outputs)
#   --source DIR     a folder holding the site's own index.html / error.html (and anything else to publish
#                    at the bucket root); default: generated pages that link to the API
#   --dry-run        show what `aws s3 sync` would change
#
# Needs the AWS CLI with s3:ListBucket/PutObject/DeleteObject on the bucket and cloudformation:DescribeStacks.
# Not runnable in the development sandbox (no AWS).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/deploy_options.sh
source "$repo/scripts/lib/deploy_options.sh"
source_dir=""
sync_flags=(--only-show-errors)
staging_dir=""

parse_arguments() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --source) source_dir="$(realpath "$2")"; shift 2 ;;
      --dry-run) sync_flags=(--dryrun); shift ;;
      *) take_deploy_option "$@"; shift "$taken" ;;
    esac
  done
  finish_deploy_options
}

stack_output() {
  aws --region "$region" cloudformation describe-stacks --stack-name "$stack_name" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

# index.html and error.html pointing at the app, for when no --source is given.
write_default_pages() {
  local dir="$1" api_url="$2"
  cat >"$dir/index.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Booklib</title>
<meta http-equiv="refresh" content="0; url=$api_url/">
<link rel="icon" href="static/favicon.svg"><link rel="stylesheet" href="static/app.css"></head>
<body><main><h1>Booklib</h1><p>Your personal book library: <a href="$api_url/">open Booklib</a>.</p></main></body></html>
HTML
  cat >"$dir/error.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found - Booklib</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main><h1>Page not found</h1><p><a href="$api_url/">Go to Booklib</a></p></main></body></html>
HTML
}

# Pages link each asset as NAME.HASH.EXT, HASH being the first 10 hex digits of the SHA-256 of its
# bytes (src/web/static_assets.h): publish every asset under that name too.
add_hashed_names() {
  local file name hash
  for file in "$1"/*; do
    name="$(basename "$file")"
    hash="$(sha256sum "$file" | cut -c1-10)"
    if [[ "$name" == *.* ]]; then cp "$file" "$1/${name%.*}.$hash.${name##*.}"; else cp "$file" "$1/$name.$hash"; fi
  done
}

main() {
  parse_arguments "$@"
  command -v aws >/dev/null || die "the AWS CLI is not installed"
  local bucket api_url
  bucket="$(stack_output StaticBucketName)"
  api_url="$(stack_output ApiUrl)"
  [[ -n "$bucket" && "$bucket" != None ]] || die "stack $stack_name has no StaticBucketName output"
  staging_dir="$(mktemp -d)"
  trap 'rm -rf "$staging_dir"' EXIT
  if [[ -n "$source_dir" ]]; then cp -R "$source_dir/." "$staging_dir/"; else write_default_pages "$staging_dir" "$api_url"; fi
  mkdir -p "$staging_dir/static"
  cp "$repo"/src/web/static/* "$staging_dir/static/"
  # The API reference page's viewer (swagger-ui-dist), fetched by the build (src/web/CMakeLists.txt).
  local vendored=""
  for candidate in "$repo/build-release" "$repo/build/release" "$repo/build/test" "$repo/build"; do
    if [[ -f "$candidate/src/web/vendor/static/swagger-ui-bundle.js" ]]; then vendored="$candidate/src/web/vendor/static"; break; fi
  done
  if [[ -n "$vendored" ]]; then
    cp "$vendored"/* "$staging_dir/static/"
  else
    echo "deploy-static: warning: no build holds src/web/vendor/static (build booklib first); /api/docs will lack its viewer" >&2
  fi
  add_hashed_names "$staging_dir/static"
  # Assets may be cached for a day; the pages are re-checked on every visit.
  aws --region "$region" s3 sync "${sync_flags[@]}" --delete --exclude '*.html' \
    --cache-control 'public, max-age=86400' "$staging_dir" "s3://$bucket"
  aws --region "$region" s3 sync "${sync_flags[@]}" --exclude '*' --include '*.html' \
    --cache-control 'no-cache' --content-type 'text/html; charset=utf-8' "$staging_dir" "s3://$bucket"
  echo "deploy-static: published to s3://$bucket ($(stack_output StaticWebsiteUrl))"
}

main "$@"
