"""Names of people: users, designated officers and the subjects of custody transfers."""

from __future__ import annotations

from pm_desk.demo.texts import word_list as _split

FIRST_NAMES = _split("""James, Mary, Robert, Patricia, John, Jennifer, Michael, Linda, David, Elizabeth,
    William, Barbara, Richard, Susan, Joseph, Jessica, Thomas, Sarah, Christopher, Karen, Charles, Lisa,
    Daniel, Nancy, Matthew, Betty, Anthony, Sandra, Mark, Margaret, Donald, Ashley, Steven, Kimberly,
    Andrew, Emily, Paul, Donna, Joshua, Michelle, Kenneth, Carol, Kevin, Amanda, Brian, Melissa, Timothy,
    Deborah, Ronald, Stephanie, Jason, Rebecca, George, Sharon, Edward, Laura, Jeffrey, Cynthia, Ryan,
    Dorothy, Jacob, Amy, Nicholas, Kathleen, Gary, Angela, Eric, Shirley, Jonathan, Emma, Stephen, Brenda,
    Larry, Pamela, Justin, Nicole, Scott, Anna, Brandon, Samantha, Benjamin, Katherine, Samuel, Christine,
    Gregory, Debra, Alexander, Rachel, Patrick, Carolyn, Frank, Janet, Raymond, Maria, Jack, Olivia,
    Dennis, Heather, Jerry, Helen, Tyler, Catherine, Aaron, Diane, Jose, Julie, Adam, Victoria, Nathan,
    Joyce, Henry, Lauren, Zachary, Kelly, Douglas, Christina, Peter, Ruth, Kyle, Joan, Noah, Virginia,
    Ethan, Judith, Jeremy, Evelyn, Christian, Hannah, Walter, Andrea, Keith, Megan, Austin, Cheryl,
    Roger, Jacqueline, Terry, Madison, Sean, Teresa, Gerald, Abigail, Carl, Sophia, Dylan, Martha, Harold,
    Sara, Jordan, Gloria, Jesse, Janice, Bryan, Kathryn, Lawrence, Ann, Arthur, Isabella, Gabriel, Judy,
    Bruce, Charlotte, Logan, Julia, Billy, Grace, Joe, Amber, Alan, Alice, Juan, Jean, Elijah, Denise,
    Willie, Frances, Albert, Danielle, Wayne, Marilyn, Randy, Natalie, Mason, Beverly, Vincent, Diana,
    Liam, Brittany, Roy, Theresa, Bobby, Kayla, Caleb, Alexis, Bradley, Doris, Russell, Lori, Lucas,
    Tiffany, Carlos, Luis, Miguel, Antonio, Marcus, Darnell, Andre, Tremaine, Hector, Ramon, Rosa,
    Yolanda, Latoya, Keisha, Carmen, Ana""")

LAST_NAMES = _split("""Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez,
    Hernandez, Lopez, Gonzalez, Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez,
    Thompson, White, Harris, Sanchez, Clark, Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright,
    Scott, Torres, Nguyen, Hill, Flores, Green, Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell,
    Carter, Roberts, Gomez, Phillips, Evans, Turner, Diaz, Parker, Cruz, Edwards, Collins, Reyes, Stewart,
    Morris, Morales, Murphy, Cook, Rogers, Gutierrez, Ortiz, Morgan, Cooper, Peterson, Bailey, Reed,
    Kelly, Howard, Ramos, Kim, Cox, Ward, Richardson, Watson, Brooks, Chavez, Wood, James, Bennett, Gray,
    Mendoza, Ruiz, Hughes, Price, Alvarez, Castillo, Sanders, Patel, Myers, Long, Ross, Foster, Jimenez,
    Powell, Jenkins, Perry, Russell, Sullivan, Bell, Coleman, Butler, Henderson, Barnes, Gonzales, Fisher,
    Vasquez, Simmons, Romero, Jordan, Patterson, Alexander, Hamilton, Graham, Reynolds, Griffin, Wallace,
    Moreno, West, Cole, Hayes, Bryant, Herrera, Gibson, Ellis, Tran, Medina, Aguilar, Stevens, Murray,
    Ford, Castro, Marshall, Owens, Harrison, Fernandez, McDonald, Woods, Washington, Kennedy, Wells,
    Vargas, Henry, Chen, Freeman, Webb, Tucker, Guzman, Burns, Crawford, Olson, Simpson, Porter, Hunter,
    Gordon, Mendez, Silva, Shaw, Snyder, Mason, Dixon, Munoz, Hunt, Hicks, Holmes, Palmer, Wagner, Black,
    Robertson, Boyd, Rose, Stone, Salazar, Fox, Warren, Mills, Meyer, Rice, Schmidt, Garza, Daniels,
    Ferguson, Nichols, Stephens, Soto, Weaver, Ryan, Gardner, Payne, Grant, Dunn, Kelley, Spencer, Hawkins,
    Arnold, Pierce, Vazquez, Hansen, Peters, Santos, Hart, Bradley, Knight, Elliott, Cunningham, Duncan,
    Armstrong, Hudson, Carroll, Lane, Riley, Andrews, Alvarado, Ray, Delgado, Berry, Perkins, Hoffman,
    Johnston, Matthews, Pena, Richards, Contreras, Willis, Carpenter, Lawrence, Sandoval""")

# Subjects of custody transfers: names drawn from the people the program encounters most.
SUBJECT_FIRST_NAMES = _split("""Jose, Juan, Luis, Carlos, Jesus, Miguel, Francisco, Jorge, Pedro, Mario,
    Oscar, Victor, Eduardo, Ricardo, Fernando, Alejandro, Manuel, Roberto, Sergio, Javier, Raul, Ramon,
    Hector, Julio, Angel, Marvin, Wilmer, Edwin, Kevin, Bryan, Erick, Cristian, Elmer, Santos, Noe,
    Maria, Ana, Rosa, Carmen, Gabriela, Yesenia, Sandra, Dayana, Wendy, Karla, Andrea, Alba, Ivan,
    Dmitri, Oleksandr, Ahmed, Mohamed, Wei, Jean, Samuel, Ousmane, Emmanuel, Rafael, Diego, Andres""")
SUBJECT_LAST_NAMES = _split("""Hernandez, Garcia, Martinez, Lopez, Gonzalez, Rodriguez, Perez, Sanchez,
    Ramirez, Cruz, Flores, Gomez, Diaz, Reyes, Morales, Jimenez, Ruiz, Alvarez, Mendoza, Vasquez, Castillo,
    Romero, Herrera, Medina, Aguilar, Vargas, Guzman, Mejia, Chavez, Ortiz, Rivera, Torres, Ramos,
    Castro, Mendez, Juarez, Dominguez, Velasquez, Orellana, Portillo, Lemus, Escobar, Pineda, Zelaya,
    Osorio, Cardenas, Salazar, Fuentes, Rojas, Bautista, Kovalenko, Petrov, Hassan, Ali, Zhang, Louis,
    Pierre, Diallo, Mensah, Silva, Santos, Pereira""")

SHERIFF_RANKS = ("Deputy", "Deputy", "Deputy", "Detention Deputy", "Corporal", "Sergeant", "Lieutenant",
                 "Investigator", "Detention Officer")  # fmt: skip
POLICE_RANKS = ("Officer", "Officer", "Officer", "Detective", "Corporal", "Sergeant", "Lieutenant")
STATE_RANKS = ("Trooper", "Trooper", "Special Agent", "Corporal", "Sergeant", "Investigator")
