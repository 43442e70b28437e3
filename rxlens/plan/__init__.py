"""From a medication record to a daily plan: time slots, last days, refills, duplicate warnings,
and a calendar file."""

from rxlens.plan.build import build_plan
from rxlens.plan.model import Plan, Times

__all__ = ["Plan", "Times", "build_plan"]
