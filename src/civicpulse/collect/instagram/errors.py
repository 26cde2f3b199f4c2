"""Instagram Graph API errors: the Graph API's (:mod:`civicpulse.collect.facebook.errors`), same classes.

The Instagram Graph API is served by ``graph.facebook.com`` and answers with the same error
envelope and usage headers. What business discovery adds:

==============================  =====================================================  ====================
code / subcode                  meaning                                                class
==============================  =====================================================  ====================
110 / 2207013                   "Cannot find User": no such username, or the account   TerminalError
                                is personal (business discovery sees business and      (target)
                                creator accounts only), or age-gated
80002                           Instagram's business use case rate limit               TransientError;
                                                                                       QuotaExhausted past
                                                                                       ``max_wait``
190                             the user token expired (60 days for a long-lived one)  TokenError (platform)
10, 200-299                     a permission is missing (``instagram_basic``,          TerminalError
                                ``pages_read_engagement``...)                          (target)
==============================  =====================================================  ====================
"""

from civicpulse.collect.facebook.errors import GraphError, Usage, error_for, read_usage

__all__ = ["GraphError", "Usage", "error_for", "read_usage"]
