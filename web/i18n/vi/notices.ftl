# Thông báo: thư điện tử và tin nhắn, mỗi thông báo một tiêu đề và một nội dung.

notice-placement-offered-subject = Lời mời làm việc: { $vacancy }
notice-placement-offered-body = { $employer } mời bạn làm việc thời vụ: { $vacancy }, từ { $start } đến { $end }. Hãy đọc hợp đồng bằng tiếng Việt trước khi quyết định, rồi chấp nhận hoặc từ chối. Bạn không phải trả tiền cho ai để có việc này: không phí dịch vụ, không tiền môi giới, không tiền đặt cọc.
notice-contract-amended-subject = Hợp đồng của bạn đã được sửa: { $vacancy }
notice-contract-amended-body = { $employer } đã sửa hợp đồng cho { $vacancy }. Hãy đọc bản mới và chấp nhận lại trước khi đi; chưa chấp nhận thì bạn chưa thể xuất cảnh.
notice-permit-issued-subject = Giấy phép lao động { $permit } của bạn
notice-permit-issued-body = Giấy phép lao động { $permit } cho { $vacancy } tại { $employer } đã được cấp, có hiệu lực đến hết ngày { $valid_until } (theo giờ Trung Quốc, tức 23 giờ ngày đó theo giờ Việt Nam). Hãy mang theo khi qua cửa khẩu.
notice-placement-return_due-subject = Mùa vụ của bạn kết thúc ngày { $end }
notice-placement-return_due-body = Mùa vụ của bạn tại { $employer } kết thúc ngày { $end } (theo giờ Trung Quốc). Hãy chuẩn bị về nước. Ai về đúng hạn thì mùa vụ sau được ưu tiên.
notice-placement-overstayed-subject = Giấy phép lao động của bạn đã hết hạn
notice-placement-overstayed-body = Giấy phép lao động của bạn đã hết hạn ngày { $valid_until } (theo giờ Trung Quốc) và chưa có ghi nhận bạn về nước. Hãy về nước ngay, hoặc liên hệ doanh nghiệp dịch vụ đã đưa bạn đi nếu bạn đã về.
notice-pay-missing-subject = Chưa có báo cáo trả lương từ { $from } đến { $to }
notice-pay-missing-body = { $employer } chưa báo cáo tiền lương của bạn từ ngày { $from } đến ngày { $to }. Nếu bạn chưa được trả lương, bạn không cần làm gì thêm: cơ quan quản lý đã mở hồ sơ vụ việc. Nếu bạn đã được trả, bạn có thể báo cho doanh nghiệp dịch vụ. Tiền lương được trả ít nhất hai lần mỗi tháng và không muộn quá một tuần sau mỗi kỳ.
notice-case-opened-subject = Một vụ việc tuân thủ đã được mở
notice-case-opened-body = Cơ quan quản lý đã mở một vụ việc ({ $kind }) về tiền lương tại doanh nghiệp của bạn. Hãy đăng nhập seasonlink để xem và trả lời.
notice-licence-suspended-subject = Giấy phép của doanh nghiệp bạn bị đình chỉ
notice-licence-suspended-body = Cơ quan quản lý đã đình chỉ giấy phép của doanh nghiệp bạn. Lý do: { $reason }. Trong thời gian đình chỉ, doanh nghiệp không thể đăng ký người lao động hay gửi lời mời làm việc.
notice-vacancy-below_floor-subject = Vị trí tuyển dụng thấp hơn mức lương sàn mới: { $vacancy }
notice-vacancy-below_floor-body = Mức lương sàn mới { $floor } tệ một giờ áp dụng cho "{ $vacancy }". Hãy tăng lương trước khi gửi lời mời làm việc mới.

# Bàn làm việc của cơ quan quản lý: hệ thống đối tác và thông báo.
partners-title = Hệ thống đối tác
partners-intro = Hệ thống của nước đối tác, cửa khẩu và công ty bảo hiểm nhận các sự kiện đã đăng ký, có chữ ký, ngay khi chúng xảy ra; họ cũng có thể đọc chúng qua nguồn sự kiện bằng khóa của mình.
partners-list = Đối tác đã đăng ký
partners-none = Chưa có hệ thống đối tác nào.
partners-add = Đăng ký đối tác
partners-name = Tên
partners-url = Địa chỉ nhận (https)
partners-secret = Khóa ký (ít nhất 32 byte)
partners-types = Sự kiện nhận
partners-permit-authority = Cơ quan cấp phép lao động: nhận cả thông tin nhân thân người được cấp
partners-add-button = Đăng ký
partners-registered = Đã đăng ký { $name }.
partners-key-once = Khóa đọc nguồn sự kiện, chỉ hiện lần này: hãy chuyển cho đối tác.
partners-remove = Gỡ bỏ
partners-deliveries = Lần gửi
partners-dead = Chưa gửi được (thư chết)
deliveries-none = Không có gì.
delivery-pending = Đang chờ gửi
delivery-delivered = Đã gửi
delivery-dead = Đã dừng sau ba ngày
delivery-attempts = { $count } lần thử
delivery-redeliver = Gửi lại
notices-title = Thông báo đã gửi
notices-intro = Mọi thư điện tử và tin nhắn hệ thống đã gửi, hoặc lẽ ra đã gửi, cho những người liên quan đến một sự kiện.
notices-none = Chưa có thông báo nào.
notice-pending = Đang chờ gửi
notice-sent = Đã gửi
notice-failed = Không gửi được
refusal-target-not-allowed = Địa chỉ này không thể nhận: hãy dùng địa chỉ http hoặc https của máy chủ công khai của đối tác.

notice-language = Ngôn ngữ của thư và tin nhắn bạn nhận
notice-language-default = Theo vai trò (người lao động: tiếng Việt)
notice-language-save = Lưu

notice-activation-code-subject = Mã kích hoạt seasonlink của bạn
notice-activation-code-body = Mã kích hoạt của bạn là { $code }. Với mã này, bạn tự chọn mật khẩu và đăng nhập bằng { $sign_in }. Mã dùng được đến { $until }. Đừng đưa mã cho ai, kể cả công ty dịch vụ.
notice-reset-code-subject = Mã đặt lại mật khẩu seasonlink của bạn
notice-reset-code-body = Mã để chọn mật khẩu mới của bạn là { $code }. Mã dùng được đến { $until }. Nếu bạn không yêu cầu, hãy bỏ qua tin này.
notice-employer-suspended-subject = Đăng ký người sử dụng lao động của bạn bị đình chỉ
notice-employer-suspended-body = Cơ quan lao động Trung Quốc đã đình chỉ đăng ký của bạn. Lý do: { $reason }. Trong thời gian đình chỉ, bạn không thể mở tin tuyển dụng và đại lý không thể gửi lời mời cho các tin của bạn; người lao động đang làm việc vẫn giữ hợp đồng.
