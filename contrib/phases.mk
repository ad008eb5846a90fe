# phases.mk — run a project in phases with agentutils, one agent run per
# phase, in order: render the phase prompt, spawn the agent, wait for a
# final state, resume a cut-off run (at most RESUME_MAX times), and stop at
# the first phase that fails.  Include it from a GNU Makefile:
#
#	PHASES = 1-scaffold 2-core 3-tests     # phases/1-scaffold.md ...
#	AGENT  = deep                          # a preset or profile, agents.conf(5)
#	include contrib/phases.mk
#
# then `make phases` (or `make .phases/2-core.done` for one phase and the
# ones before it).  A phase is done when .phases/NAME.done exists; delete it
# to run the phase again.  .phases/NAME.runs lists its run ids, oldest first.

AGENT       ?= deep
PHASE_DIR   ?= phases
PHASE_STATE ?= .phases
# prompt-render variables for every phase (NAME=VALUE lines), if present
PHASE_VARS  ?= $(PHASE_DIR)/vars
RESUME_MAX  ?= 3
# extra agent-spawn options, e.g. -m MODEL or --isolate
SPAWN_FLAGS ?=

PHASE_DONE = $(PHASES:%=$(PHASE_STATE)/%.done)

phases: $(PHASE_DONE)

# Each phase waits for the one before it.
_phase_prev :=
$(foreach p,$(PHASES),$(if $(_phase_prev),$(eval $(PHASE_STATE)/$(p).done: $(PHASE_STATE)/$(_phase_prev).done))$(eval _phase_prev := $(p)))

# agent-state -w exits with the state: 0 completed, 2 cut-off, others fail.
$(PHASE_STATE)/%.done: $(PHASE_DIR)/%.md
	@mkdir -p $(PHASE_STATE)
	@prompt-render $(if $(wildcard $(PHASE_VARS)),-f $(PHASE_VARS)) $< > $(PHASE_STATE)/$*.prompt
	@id=$$(agent-spawn -a $(AGENT) -d $(CURDIR) -l phase-$* $(SPAWN_FLAGS) \
		-P - < $(PHASE_STATE)/$*.prompt) || exit 1; \
	echo "$$id" > $(PHASE_STATE)/$*.runs; \
	echo "phase $*: run $$id"; \
	while :; do \
		agent-state -w "$$id" > /dev/null; st=$$?; \
		case $$st in \
		0) break ;; \
		2) id=$$(agent-resume --max $(RESUME_MAX) "$$id") || exit 1; \
		   echo "$$id" >> $(PHASE_STATE)/$*.runs; \
		   echo "phase $*: cut off, resumed as $$id" ;; \
		*) echo "phase $*: run $$id ended $$(agent-state "$$id")" >&2; \
		   agent-tail -s -n 20 "$$id" >&2; exit 1 ;; \
		esac; \
	done
	@touch $@

phases-status:
	@for p in $(PHASES); do \
		if [ -f $(PHASE_STATE)/$$p.done ]; then echo "$$p	done"; \
		elif [ -f $(PHASE_STATE)/$$p.runs ]; then \
			id=$$(tail -n 1 $(PHASE_STATE)/$$p.runs); \
			echo "$$p	$$(agent-state "$$id")	$$id"; \
		else echo "$$p	pending"; fi; \
	done

.PHONY: phases phases-status
