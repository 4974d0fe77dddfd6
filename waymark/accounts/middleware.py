"""Second-factor enforcement for staff-level accounts."""
