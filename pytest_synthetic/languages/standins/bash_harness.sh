# What a Bash program gets around an entry's code: bash/__init__.py writes PROLOGUE (reads the
# completion secret), FINISH, EXIT when the assertions end with an exit, the reference and the
# assertions, then EPILOGUE. FINISH runs the code's EXIT trap first: whatever it prints comes
# before the secret. EXIT, without a status, passes on the last command's.
# SYNTHETIC_PART_PROLOGUE
__synthetic_secret=$(< SYNTHETIC_FILL_COMPLETION_PATH)
# SYNTHETIC_PART_FINISH
__synthetic_finish() {
  local handler
  handler=$(trap -p EXIT)
  if [[ -n $handler ]]; then
    trap - EXIT
    handler=${handler#trap -- }
    eval "handler=${handler% EXIT}"
    eval "$handler"
  fi
  printf '\n%s\n' "$__synthetic_secret"
}
# SYNTHETIC_PART_EXIT
__synthetic_exit() {
  local status=${1-$?}
  if [[ $status == 0 ]]; then
    __synthetic_finish
  else
    echo "the assertions exited with status $status" >&2
  fi
  exit "$status"
}
# SYNTHETIC_PART_EPILOGUE

__synthetic_finish
