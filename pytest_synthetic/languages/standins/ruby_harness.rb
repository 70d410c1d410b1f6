# What a Ruby program gets around an entry's code: ruby.py writes PROLOGUE (a BEGIN block that
# runs before the reference's), then EXIT when the assertions end with an exit, PROLOGUE_END,
# the reference and the assertions; RSPEC_REPORT and RSPEC_EPILOGUE come with RSpec specs.
# SYNTHETIC_PART_PROLOGUE
BEGIN {
  __synthetic_secret = File.binread('SYNTHETIC_FILL_COMPLETION_PATH').strip
  __synthetic_finished = false
  at_exit do
    status = $!
    if __synthetic_finished && (status.nil? || (status.is_a?(SystemExit) && status.success?))
      $stdout.flush
      STDOUT.flush
      STDOUT.syswrite("\n#{__synthetic_secret}\n")
    end
  end
# SYNTHETIC_PART_EXIT
  Object.send(:define_method, :__synthetic_exit) do |*status|
    __synthetic_finished = true
    exit(*status)
  rescue SystemExit => exiting
    warn "the assertions exited with status #{exiting.status}" unless exiting.success?
    raise
  end
# SYNTHETIC_PART_PROLOGUE_END
}
# SYNTHETIC_PART_RSPEC_REPORT
RSpec.configure do |config|
  config.after(:suite) do
    failed = RSpec.world.all_examples.find { |example| example.execution_result.status == :failed }
    error = failed&.execution_result&.exception
    warn "main.rb:in `spec': #{error.message.strip.lines.first&.strip} (#{error.class.name || 'Error'})" if error
  end
end if defined?(RSpec.configure)
# SYNTHETIC_PART_RSPEC_EPILOGUE

if defined?(RSpec::Core::Runner)
  RSpec::Core::Runner.singleton_class.prepend(Module.new do
    define_method(:run) do |*arguments|
      super(*arguments).tap { __synthetic_finished = true }
    end
  end)
else
  __synthetic_finished = true
end
