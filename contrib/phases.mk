# phases.mk — run a project in phases with agentutils, with nobody watching:
# for each phase, render its prompt, spawn the agent, wait, resume a run
# that was cut off, stuck or limited (once the limit resets), run the
# verification command (and send the agent back when it fails), commit the
# phase, then go on; tell NOTIFY how it ended.
# The logic is in phase-run(1); this file gives make the order.  Include it
# from a GNU Makefile:
#
#	PHASES = 1-scaffold 2-core 3-tests     # phases/1-scaffold.md ...
#	AGENT  = deep                          # a preset or profile, agents.conf(5)
#	VERIFY = make check                    # when a prompt names no command
#	include contrib/phases.mk
#
# then `make phases`, `make phases-status`, or `make .phases/2-core.done`
# for one phase and those before it.  `make phases` again after any stop
# goes on where it stood: a phase is done when .phases/NAME.done exists,
# and .phases/NAME.runs lists its runs, oldest first, the newest of which
# is waited on, not started again, while it is alive.  phase-run(1) has
# the whole story.

AGENT          ?= deep
# the phase prompts: $(PHASE_DIR)/NAME.md, rendered with prompt-render(1)
PHASE_DIR      ?= phases
PHASE_STATE_DIR ?= .phases
# prompt-render variables for every phase (NAME=VALUE lines), if present
PHASE_VARS     ?= $(PHASE_DIR)/vars
# resumes of a run that was cut off or stuck, and of a failed verification
RESUME_MAX     ?= 3
VERIFY_MAX     ?= 3
# a live run without output or CPU use this long is stuck: stopped, resumed
STUCK_AFTER    ?= 300
# a run that hit a usage limit is resumed when the limit resets, waiting at
# most this long in all; LIMIT_DELAY when the agent did not say when
LIMIT_WAIT_MAX ?= 21600
LIMIT_DELAY    ?= 900
# the verification command when a phase's prompt names none in its last
# step (prompt-render -V); run with sh -c in the phase's directory
VERIFY         ?=
# run at each phase's end and at the pipeline's end or stop, with PHASE,
# PHASE_STATE, PHASE_RUN and PHASE_REASON in its environment
NOTIFY         ?=
# yes: each phase waits for the one before it, and works in the project.
# no: the Makefile gives the order as prerequisites of the .done files, and
# each phase works in a git worktree of its own, merged back when verified,
# so that `make -j N phases` runs independent phases at once
PHASE_CHAIN    ?= yes
# extra agent-spawn options, e.g. -m MODEL or --isolate
SPAWN_FLAGS    ?=
# Phases on other hosts (agent-spawn -H, git over ssh): PHASE_HOST_NAME
# puts phase NAME on a host ("." keeps it here); PHASE_HOSTS spreads the
# others over hosts, "h1 2/h2" (two at once on h2) or ".." for the hosts
# file, each taking a free slot.  A phase on a host works in a worktree of
# a repository there that this one's HEAD is pushed to, PHASE_HOST_DIR (a
# path on the host, relative to the ssh user's home; %h is the host's
# name; default agentutils-phases/PROJECT-HASH), and its branch is fetched
# back and merged here.
PHASE_HOSTS    ?=
PHASE_HOST_DIR ?=

# phase-run beside this file (a checkout's contrib/), else the installed one
PHASE_RUN := $(firstword $(wildcard $(dir $(lastword $(MAKEFILE_LIST)))phase-run) phase-run)

PHASE_DONE = $(PHASES:%=$(PHASE_STATE_DIR)/%.done)

# A value quoted for sh: the user's commands reach phase-run as they are.
_phase_q = '$(subst ','\'',$(1))'
_phase_common = -s $(call _phase_q,$(PHASE_STATE_DIR)) -N $(call _phase_q,$(NOTIFY))

# The pipeline runs in a make of its own so that its end, whatever it is,
# is announced (NOTIFY) by this one.
phases:
	@$(MAKE) --no-print-directory phases-all; st=$$?; \
	$(PHASE_RUN) -e $$st $(_phase_common) $(PHASES); exit $$st

phases-all: $(PHASE_DONE)

# Each phase waits for the one before it, unless PHASE_CHAIN = no.
ifneq ($(PHASE_CHAIN),no)
_phase_prev :=
$(foreach p,$(PHASES),$(if $(_phase_prev),$(eval $(PHASE_STATE_DIR)/$(p).done: $(PHASE_STATE_DIR)/$(_phase_prev).done))$(eval _phase_prev := $(p)))
endif

# Order-only: a done phase is not redone because its prompt changed.
$(PHASE_STATE_DIR)/%.done: | $(PHASE_DIR)/%.md
	@$(PHASE_RUN) $(if $(filter no,$(PHASE_CHAIN)),-w) -a $(call _phase_q,$(AGENT)) -d $(call _phase_q,$(CURDIR)) \
		$(if $(wildcard $(PHASE_VARS)),-f $(call _phase_q,$(PHASE_VARS))) \
		-c $(call _phase_q,$(VERIFY)) -r $(RESUME_MAX) -V $(VERIFY_MAX) \
		-L $(LIMIT_WAIT_MAX) -D $(LIMIT_DELAY) -S $(STUCK_AFTER) \
		$(if $(PHASE_HOST_$*),$(if $(filter-out .,$(PHASE_HOST_$*)),-H $(call _phase_q,$(PHASE_HOST_$*))),$(if $(PHASE_HOSTS),-p $(call _phase_q,$(strip $(PHASE_HOSTS))))) \
		$(if $(PHASE_HOST_DIR),-g $(call _phase_q,$(PHASE_HOST_DIR))) \
		$(_phase_common) $* $(PHASE_DIR)/$*.md $(SPAWN_FLAGS)

phases-status:
	@$(PHASE_RUN) -l -S $(STUCK_AFTER) $(_phase_common) $(PHASES)

.PHONY: phases phases-all phases-status
