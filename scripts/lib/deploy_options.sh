# shellcheck shell=bash disable=SC2034  # the variables are read by the sourcing script
# Sourced by scripts/deploy-aws.sh and scripts/deploy-static.sh: the options both take (--env, --region,
# --stack-name, -h/--help), what they default to, and `die`. After finish_deploy_options the script
# reads env_name, region and stack_name.
env_name=""
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
stack_name=""
taken=0

die() { echo "$(basename "$0" .sh): $*" >&2; exit 1; }

# take_deploy_option ARGS...: handles "$1" if it is one of the shared options, else dies naming it;
# sets `taken` to how many arguments it used. -h/--help prints the script's header comment and exits.
take_deploy_option() {
  case "$1" in
    --env) env_name="$2"; taken=2 ;;
    --region) region="$2"; taken=2 ;;
    --stack-name) stack_name="$2"; taken=2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
}

# --env is required; the stack defaults to booklib-ENV, the region to the AWS CLI's configured one.
finish_deploy_options() {
  [[ -n "$env_name" ]] || die "--env is required"
  [[ -n "$stack_name" ]] || stack_name="booklib-$env_name"
  if [[ -z "$region" ]]; then region="$(aws configure get region || true)"; fi
  [[ -n "$region" ]] || die "no region: pass --region or set AWS_REGION"
}
