"""Pure registration rules: (event, state, parsed message, clock) -> Decision."""
