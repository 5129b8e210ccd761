# Notices: e-mails and text messages, one subject line and one plain-text body each.

notice-placement-offered-subject = Job offer: { $vacancy }
notice-placement-offered-body = { $employer } offers you seasonal work: { $vacancy }, from { $start } to { $end }. Read the contract in your language before you decide, then accept or decline it. You pay nothing to anyone for this job: no service fee, no brokerage, no deposit.
notice-contract-amended-subject = Your contract was changed: { $vacancy }
notice-contract-amended-body = { $employer } changed the contract for { $vacancy }. Read the new version and accept it again before you leave; until then you cannot depart.
notice-permit-issued-subject = Your work permit { $permit }
notice-permit-issued-body = Your work permit { $permit } for { $vacancy } with { $employer } is issued. It is valid until the end of { $valid_until }, China's day (23:00 in Viet Nam). Carry it when you cross the border.
notice-placement-return_due-subject = Your season ends on { $end }
notice-placement-return_due-body = Your season with { $employer } ends on { $end }. Plan your return home: workers who return on time get priority next season.
notice-placement-overstayed-subject = Your work permit has expired
notice-placement-overstayed-body = Your work permit expired on { $valid_until } and no return is recorded. Return home now, or contact your agency if you have already returned.
notice-pay-missing-subject = Pay for { $from } to { $to } is not reported
notice-pay-missing-body = { $employer } has not reported your pay for { $from } to { $to }. If you were not paid, you do not have to do anything: the regulator has opened a case. If you were paid, you may tell your agency. Pay comes at least twice a month and never later than a week after the period.
notice-case-opened-subject = A compliance case was opened
notice-case-opened-body = The regulator opened a case ({ $kind }) about pay at your company. Sign in to seasonlink to read the findings and answer them.
notice-licence-suspended-subject = Your agency licence is suspended
notice-licence-suspended-body = The regulator suspended your licence. Reason: { $reason }. While it is suspended you cannot register workers or make offers.
notice-vacancy-below_floor-subject = Your vacancy is below the new wage floor: { $vacancy }
notice-vacancy-below_floor-body = A new wage floor of { $floor } yuan an hour applies to "{ $vacancy }". Raise the pay before you make new offers.

# The regulator's outbox desk.
partners-title = Partner systems
partners-intro = Systems of the partner country, border posts and insurers receive the events they subscribe to, signed, as they happen; they can also read them from the event feed with their key.
partners-list = Registered partners
partners-none = No partner system is registered.
partners-add = Register a partner
partners-name = Name
partners-url = Delivery address (https)
partners-secret = Signing secret (at least 32 bytes)
partners-types = Events it receives
partners-permit-authority = Permit authority (work permits): also receives the holder's identity
partners-add-button = Register
partners-registered = { $name } is registered.
partners-key-once = Its key for the event feed, shown only now: give it to the partner.
partners-remove = Remove
partners-deliveries = Deliveries
partners-dead = Undelivered (dead letters)
deliveries-none = Nothing here.
delivery-pending = Waiting to be sent
delivery-delivered = Delivered
delivery-dead = Gave up after three days
delivery-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
  }
delivery-redeliver = Send again
notices-title = Notices sent
notices-intro = Every e-mail and text message the system sent, or would have sent, to the people an event concerns.
notices-none = No notice yet.
notice-pending = Waiting to be sent
notice-sent = Sent
notice-failed = Not delivered
refusal-target-not-allowed = This address cannot receive deliveries: use an http or https address of the partner's public server.

notice-language = Language of the e-mails and text messages you receive
notice-language-default = As for my role (workers: Vietnamese)
notice-language-save = Save

notice-activation-code-subject = Your seasonlink activation code
notice-activation-code-body = Your activation code is { $code }. With it you choose your own password and sign in as { $sign_in }. It works until { $until }. Do not give it to anyone, not even your agency.
notice-reset-code-subject = Your seasonlink password reset code
notice-reset-code-body = Your code to choose a new password is { $code }. It works until { $until }. If you did not ask for it, ignore this message.
notice-employer-suspended-subject = Your employer registration is suspended
notice-employer-suspended-body = China's labour authority suspended your registration. Reason: { $reason }. While it is suspended you cannot open vacancies, and agencies cannot make offers on yours; the workers you employ keep their contracts.
