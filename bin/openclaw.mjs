#!/usr/bin/env node
// Kept for installed services and scripts that name this file: the command itself is openclaw.cjs.
import "./openclaw.cjs";
