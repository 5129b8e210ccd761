# 通知：电子邮件和短信，各有一个标题和一段纯文本正文。

notice-placement-offered-subject = 录用通知：{ $vacancy }
notice-placement-offered-body = { $employer }向您发出季节性用工录用通知：{ $vacancy }，用工期为{ $start }至{ $end }。请先用您的语言阅读合同，再决定接受或拒绝。这份工作您无需向任何人支付服务费、中介费或押金。
notice-contract-amended-subject = 您的合同已修改：{ $vacancy }
notice-contract-amended-body = { $employer }修改了{ $vacancy }的合同。出发前请阅读新版本并重新接受；接受之前不能入境务工。
notice-permit-issued-subject = 您的跨境务工许可 { $permit }
notice-permit-issued-body = 您在{ $employer }从事{ $vacancy }的跨境务工许可 { $permit } 已签发，有效期至{ $valid_until }。通关时请随身携带。
notice-placement-return_due-subject = 您的用工期将于{ $end }结束
notice-placement-return_due-body = 您在{ $employer }的用工期将于{ $end }结束。请安排按时回国：按时回国的劳动者下一用工期优先录用。
notice-placement-overstayed-subject = 您的跨境务工许可已过期
notice-placement-overstayed-body = 您的跨境务工许可已于{ $valid_until }到期，且没有出境回国记录。请立即回国；如已回国，请联系您的中介机构。
notice-pay-missing-subject = { $from } 至 { $to } 的工资未申报
notice-pay-missing-body = { $employer } 尚未申报您 { $from } 至 { $to } 的工资。如果您没有拿到工资，无需做任何事：监管部门已立案。如果已经拿到，可以告诉您的中介机构。工资每月至少支付两次，最迟在每个工资期结束后一周内支付。
notice-case-opened-subject = 已立案：工资合规
notice-case-opened-body = 监管部门就贵单位的工资问题立案（{ $kind }）。请登录 seasonlink 查看检查结果并答复。
notice-licence-suspended-subject = 贵机构的中介机构许可证已被暂停
notice-licence-suspended-body = 监管部门暂停了贵机构的中介机构许可证。原因：{ $reason }。暂停期间不能登记劳动者，也不能发出录用通知。
notice-vacancy-below_floor-subject = 您的岗位低于新的工资底线：{ $vacancy }
notice-vacancy-below_floor-body = 新的工资底线（每小时 { $floor } 元）适用于“{ $vacancy }”。发出新的录用通知前请提高工资。

# 监管部门的外发工作台：合作方系统与通知。
partners-title = 合作方系统
partners-intro = 合作国、口岸和保险机构的系统在事件发生时即收到其订阅的事件（带签名）；也可以用其密钥从事件源读取。
partners-list = 已登记的合作方
partners-none = 尚未登记合作方系统。
partners-add = 登记合作方
partners-name = 名称
partners-url = 接收地址（https）
partners-secret = 签名密钥（至少 32 字节）
partners-types = 接收的事件
partners-permit-authority = 跨境务工许可签发机关：同时接收持有人身份信息
partners-add-button = 登记
partners-registered = 已登记 { $name }。
partners-key-once = 事件源读取密钥，仅此一次显示：请交给合作方。
partners-remove = 移除
partners-deliveries = 投递记录
partners-dead = 未能投递（死信）
deliveries-none = 暂无。
delivery-pending = 等待发送
delivery-delivered = 已投递
delivery-dead = 三天后放弃
delivery-attempts = 尝试 { $count } 次
delivery-redeliver = 重新发送
notices-title = 已发送的通知
notices-intro = 系统向事件相关人员发送（或本应发送）的所有电子邮件和短信。
notices-none = 暂无通知。
notice-pending = 等待发送
notice-sent = 已发送
notice-failed = 未送达
refusal-target-not-allowed = 此地址不能接收投递：请使用合作方公共服务器的 http 或 https 地址。

notice-language = 您接收的邮件和短信所用的语言
notice-language-default = 按角色（工人：越南语）
notice-language-save = 保存

notice-activation-code-subject = 您的 seasonlink 激活码
notice-activation-code-body = 您的激活码是 { $code }。凭此码您自己设定密码，并以 { $sign_in } 登录。有效至 { $until }。请勿交给任何人，包括中介机构。
notice-reset-code-subject = 您的 seasonlink 密码重设验证码
notice-reset-code-body = 您设定新密码的验证码是 { $code }，有效至 { $until }。如非本人申请，请忽略此消息。
notice-employer-suspended-subject = 贵单位的用人单位登记已被暂停
notice-employer-suspended-body = 中方劳动部门暂停了贵单位的登记。原因：{ $reason }。暂停期间不能发布岗位，中介也不能就贵单位的岗位发出录用通知；在岗劳动者的合同不受影响。
