#!/usr/bin/env bash
# Lints deploy/aws/template.yaml: (1) a schema check against AWS's CloudFormation resource
# specification from npm (lint/check-template.mjs, installed with `npm ci` from the committed lockfile),
# and (2) cfn-lint itself, the AWS CloudFormation linter, when it is installed (it is a Python package:
# this machine image ships it; PyPI is not reachable to install it). Exit 0 only if every check ran clean.
#
# Usage: deploy/aws/lint.sh [TEMPLATE]        BOOKLIB_REQUIRE_CFN_LINT=1 makes a missing cfn-lint an error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
template="$(realpath "${1:-$here/template.yaml}")"

install_checker() {
  local lint_dir="$here/lint"
  # Reinstall only when the lockfile changed since the last install.
  if [[ ! -f "$lint_dir/node_modules/.package-lock.json" ||
        "$lint_dir/package-lock.json" -nt "$lint_dir/node_modules/.package-lock.json" ]]; then
    (cd "$lint_dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

run_schema_check() {
  echo "== schema check (@aws-cdk/aws-service-spec): $template"
  (cd "$here/lint" && node --test --test-reporter=dot check-template.test.mjs)
  node "$here/lint/check-template.mjs" "$template"
}

run_cfn_lint() {
  if ! command -v cfn-lint >/dev/null 2>&1; then
    echo "== cfn-lint: SKIPPED, not installed (pip package; PyPI is unreachable here)"
    [[ "${BOOKLIB_REQUIRE_CFN_LINT:-0}" != 1 ]]
    return
  fi
  echo "== $(cfn-lint --version): $template"
  # Errors, warnings and informational findings all fail the lint.
  cfn-lint --include-checks I -- "$template"
  echo "cfn-lint: no findings"
}

install_checker
run_schema_check
run_cfn_lint
