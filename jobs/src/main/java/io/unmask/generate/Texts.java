package io.unmask.generate;

import java.util.List;
import java.util.Map;

/** Names, skills, profile texts and user agents the synthetic accounts are made of. */
final class Texts {
  private Texts() {}

  private static List<String> w(String words) {
    return List.of(words.split(" "));
  }

  /** First names and last names per name style. */
  static final Map<String, List<List<String>>> NAMES =
      Map.ofEntries(
          Map.entry(
              "anglo",
              List.of(
                  w(
                      "James Mary Robert Linda Michael Sarah David Emily Chris Jessica Daniel Ashley"
                          + " Kevin Laura Brian Megan Jason Rachel Ryan Hannah Tyler Olivia Ethan Grace"),
                  w(
                      "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas"
                          + " Moore Martin Thompson White Harris Clark Lewis Walker Hall Young Allen King"
                          + " Wright Scott Baker"))),
          Map.entry(
              "german",
              List.of(
                  w("Lukas Anna Felix Lea Jonas Marie Leon Sophie Paul Laura Tim Julia"),
                  w("Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Koch"))),
          Map.entry(
              "french",
              List.of(
                  w("Louis Camille Hugo Chloe Lucas Manon Jules Ines Arthur Lea"),
                  w("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau"))),
          Map.entry(
              "dutch",
              List.of(
                  w("Daan Emma Sem Julia Lucas Tess Finn Sanne Bram Lotte"),
                  w("DeJong Jansen DeVries VanDijk Bakker Visser Smit Meijer Mulder Bos"))),
          Map.entry(
              "spanish",
              List.of(
                  w(
                      "Alejandro Lucia Daniel Sofia Pablo Maria Diego Valentina Javier Camila Carlos"
                          + " Isabella"),
                  w(
                      "Garcia Rodriguez Martinez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores"
                          + " Diaz Morales"))),
          Map.entry(
              "italian",
              List.of(
                  w("Marco Giulia Luca Chiara Matteo Sara Andrea Francesca Davide Elena"),
                  w("Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco"))),
          Map.entry(
              "portuguese",
              List.of(
                  w("Joao Ana Pedro Beatriz Gabriel Mariana Rafael Larissa Tiago Carolina"),
                  w("Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Ferreira Lima"))),
          Map.entry(
              "nordic",
              List.of(
                  w("Erik Elin Oskar Maja Anton Ebba Viktor Alva"),
                  w("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson"))),
          Map.entry(
              "slavic",
              List.of(
                  w(
                      "Oleksandr Olena Andrii Iryna Maksym Kateryna Piotr Anna Tomasz Marta Dmytro"
                          + " Natalia"),
                  w(
                      "Kovalenko Shevchenko Bondarenko Tkachenko Kowalski Nowak Wisniewski"
                          + " Wojcik Melnyk Kravchenko Lewandowski Zielinski"))),
          Map.entry(
              "russian",
              List.of(
                  w("Alexei Olga Dmitry Anastasia Sergei Ekaterina Ivan Maria Nikolai Elena"),
                  w("Ivanov Smirnov Kuznetsov Popov Sokolov Lebedev Kozlov Novikov Morozov"))),
          Map.entry(
              "romanian",
              List.of(
                  w("Andrei Ioana Mihai Elena Alexandru Maria Stefan Ana"),
                  w("Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Matei"))),
          Map.entry(
              "turkish",
              List.of(
                  w("Mehmet Ayse Mustafa Fatma Emre Zeynep Burak Elif"),
                  w("Yilmaz Kaya Demir Sahin Celik Yildiz Aydin Ozturk"))),
          Map.entry(
              "hebrew",
              List.of(w("Noam Tamar Itai Noa Yonatan Maya"), w("Cohen Levi Mizrahi Peretz Biton"))),
          Map.entry(
              "arabic",
              List.of(
                  w("Ahmed Fatima Mohamed Mariam Omar Nour Youssef Salma Khaled Aya"),
                  w("Hassan Ali Ibrahim Mahmoud Mostafa Abdelrahman Saleh Farouk Nasser"))),
          Map.entry(
              "nigerian",
              List.of(
                  w("Chinedu Ngozi Emeka Aisha Tunde Funmi Ibrahim Chioma Segun Amaka"),
                  w("Okafor Adeyemi Okonkwo Bello Eze Balogun Nwosu Abubakar Olawale"))),
          Map.entry(
              "kenyan",
              List.of(
                  w("Brian Faith Kevin Mercy Dennis Wanjiru Collins Akinyi"),
                  w("Otieno Mwangi Kamau Wanjiku Ochieng Njoroge Kiptoo Mutua"))),
          Map.entry(
              "indian",
              List.of(
                  w("Rahul Priya Amit Anjali Vikram Sneha Arjun Pooja Rohan Kavya Sanjay Divya"),
                  w("Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Mehta Joshi Rao Das"))),
          Map.entry(
              "pakistani",
              List.of(
                  w("Ali Ayesha Hamza Fatima Usman Sana Bilal Hira Faisal Zainab"),
                  w("Khan Ahmed Malik Hussain Qureshi Sheikh Butt Chaudhry Raza"))),
          Map.entry(
              "bangladeshi",
              List.of(
                  w("Rahim Nusrat Tanvir Farzana Shakib Sumaiya Arif Tania"),
                  w("Rahman Hossain Islam Akter Chowdhury Uddin Sarker Miah"))),
          Map.entry(
              "srilankan",
              List.of(
                  w("Nuwan Dilani Kasun Sachini Tharindu Ishara"),
                  w("Perera Fernando Silva Jayasinghe Bandara Wickramasinghe"))),
          Map.entry(
              "nepali",
              List.of(
                  w("Sagar Sita Bikash Anita Prakash Sabina"),
                  w("Shrestha Thapa Gurung Tamang Rai"))),
          Map.entry(
              "filipino",
              List.of(
                  w("Juan Maria Mark Angel John Kristine Paolo Joy Carlo Jasmine"),
                  w("Santos Reyes Cruz Bautista Garcia Mendoza Torres Villanueva Ramos"))),
          Map.entry(
              "vietnamese",
              List.of(
                  w("Minh Linh Huy Trang Duc Lan Tuan Mai Quang Ngoc"),
                  w("Nguyen Tran Le Pham Hoang Phan Vu Dang Bui Do"))),
          Map.entry(
              "indonesian",
              List.of(
                  w("Budi Siti Agus Dewi Rizky Putri Andi Ayu"),
                  w("Santoso Wijaya Saputra Hidayat Pratama Kusuma Setiawan"))),
          Map.entry(
              "malay",
              List.of(
                  w("Ahmad Nurul Hafiz Aisyah Faiz Siti"),
                  w("Ismail Abdullah Rahman Hassan Yusof"))),
          Map.entry(
              "thai",
              List.of(
                  w("Somchai Suda Niran Malee Anan Ploy"),
                  w("Saetang Wongsa Chaiyaporn Srisuk Boonmee Phromma"))),
          Map.entry(
              "korean",
              List.of(
                  w("Minjun Seoyeon Jiho Jiwoo Hyunwoo Soyeon Donghyun Yuna Sungmin Hana"),
                  w("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim"))),
          Map.entry(
              "japanese",
              List.of(
                  w("Haruto Yui Sota Hina Ren Aoi Takumi Sakura Kenji Yuki"),
                  w("Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi"))),
          Map.entry(
              "chinese",
              List.of(
                  w("Wei Fang Hao Jing Lei Min Jun Xiu Yang Li Chen Ying"),
                  w("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun"))));

  static String name(Rng rng, String style) {
    List<List<String>> n = NAMES.get(style);
    return rng.pick(n.get(0)) + " " + rng.pick(n.get(1));
  }

  /** Skill families: a headline stem and the skills that go with it. */
  record Family(String title, List<String> skills, double rateFactor) {}

  static final List<Family> FAMILIES =
      List.of(
          new Family(
              "Full-Stack Web Developer",
              w(
                  "JavaScript TypeScript React Node.js Express"
                      + " PostgreSQL MongoDB Next.js GraphQL Docker AWS"),
              1.1),
          new Family(
              "Mobile App Developer",
              w("Flutter Dart React-Native Kotlin Swift Firebase" + " iOS Android REST-API"),
              1.1),
          new Family(
              "Blockchain Developer",
              w("Solidity Web3.js Ethereum Smart-Contracts Rust" + " Hardhat DeFi NFT TypeScript"),
              1.4),
          new Family(
              "Python Developer",
              w("Python Django Flask FastAPI Pandas Scrapy" + " PostgreSQL Celery AWS"),
              1.0),
          new Family(
              "Data Scientist",
              w(
                  "Python Machine-Learning SQL Pandas scikit-learn"
                      + " TensorFlow Tableau Statistics Power-BI"),
              1.2),
          new Family(
              "UI/UX Designer",
              w("Figma Adobe-XD Sketch Prototyping User-Research" + " Wireframing Illustrator"),
              0.9),
          new Family(
              "Content Writer",
              w(
                  "Copywriting SEO Blog-Writing Editing Proofreading"
                      + " Technical-Writing Research"),
              0.7),
          new Family(
              "DevOps Engineer",
              w("Kubernetes Docker Terraform AWS Azure CI/CD Linux" + " Ansible Prometheus"),
              1.3),
          new Family(
              "WordPress Developer",
              w("WordPress PHP WooCommerce Elementor CSS HTML" + " JavaScript MySQL"),
              0.8),
          new Family(
              "QA Engineer",
              w("Selenium Cypress Test-Automation Jira Postman Java" + " Manual-Testing"),
              0.8),
          new Family(
              "Virtual Assistant",
              w(
                  "Data-Entry Customer-Support Excel Email-Management"
                      + " Scheduling Google-Workspace"),
              0.5));

  /** Families a laptop-farm ring advertises: development work, as the advisories describe. */
  static final List<Integer> RING_FAMILIES = List.of(0, 1, 2, 3, 7);

  static final List<String> SENIORITY = w("Senior Lead Experienced Certified Freelance Expert");

  static final List<String> OPENERS =
      List.of(
          "Hi, I'm %s, a %s with %d years of experience.",
          "Hello! My name is %s and I work as a %s (%d years in the field).",
          "I am %s, %s, helping clients for %d years now.",
          "%s here: %s with %d+ years of hands-on work.");

  static final List<String> MIDDLES =
      List.of(
          "I have built products for startups, agencies and small businesses, from MVPs to"
              + " production systems.",
          "My focus is clean, maintainable work, clear communication and meeting deadlines.",
          "Recent projects include a booking platform, an internal dashboard and a payments"
              + " integration.",
          "I enjoy working with distributed teams, and I am comfortable with agile, Jira and"
              + " daily stand-ups.",
          "Before freelancing I worked in-house for a %s company, which taught me how real"
              + " products are shipped.",
          "I care about testing, documentation, and leaving a codebase better than I found it.",
          "I speak %s and English, and I reply within a few hours.",
          "Clients say I am reliable, detail-oriented and easy to work with.");

  static final List<String> INDUSTRIES =
      w("fintech logistics healthcare retail media education travel insurance gaming");

  static final List<String> CLOSERS =
      List.of(
          "Let's talk about your project!",
          "Feel free to message me, I'm happy to help.",
          "Available for long-term work.",
          "Looking forward to working with you.",
          "Send me a message with your requirements.");

  /** The template bio of a laptop-farm ring: polished, generic, full-time, US-hours promises. */
  static final List<String> RING_TEMPLATES =
      List.of(
          "Hello, I'm a %s with %d years of professional experience building scalable"
              + " applications for US and European clients.\n\nI specialise in %s and %s, and I"
              + " always deliver high quality code on time. I am available full-time in your"
              + " time zone and open to long-term collaboration.",
          "Senior %s | %d+ years | Top rated.\n\nI have worked with startups and enterprise"
              + " clients on %s, %s and cloud deployment. Communication is my strength, and I"
              + " can work in EST/PST hours. Let's build something great together!",
          "As a passionate %s with %d years of experience, I help companies turn ideas into"
              + " products. Core stack: %s, %s.\n\nFull-time availability, fast response,"
              + " 100%% job success.");

  /** Word swaps that make near-duplicate bios (a ring's members edit the template a little). */
  static final String[][] EDITS = {
    {"Hello, ", "Hi, "},
    {"professional ", ""},
    {"high quality", "high-quality"},
    {"always ", ""},
    {"Let's build something great together!", "Let's work together!"},
    {"passionate", "dedicated"},
    {"specialise", "specialize"},
    {"fast response", "quick replies"},
    {"startups", "start-ups"}
  };

  static final List<String> USER_AGENTS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/130.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like"
              + " Gecko) Version/17.6 Safari/605.1.15",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like"
              + " Gecko) Chrome/131.0.0.0 Safari/537.36",
          "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML,"
              + " like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/130.0.0.0 Mobile Safari/537.36");

  static final List<String> MAIL_DOMAINS =
      w("gmail.com gmail.com gmail.com outlook.com yahoo.com hotmail.com icloud.com proton.me");

  static final List<String> AGENCY_WORDS =
      w("Pixel Bright Nova Code Blue Summit Apex Lotus Orbit Craft North Peak Vertex Cedar");

  static final List<String> AGENCY_SUFFIX = w("Labs Studio Digital Solutions Works Tech");

  /** A small edit of a text: one or two of the swaps above, and a changed number of years. */
  static String nearCopy(Rng rng, String text) {
    String out = text;
    int edits = rng.between(1, 3);
    for (int i = 0; i < edits; i++) {
      String[] e = EDITS[rng.nextInt(EDITS.length)];
      out = out.replace(e[0], e[1]);
    }
    return out;
  }
}
